package token

import "sync"

// DefaultCacheSize bounds a Cache whose Size is 0.
const DefaultCacheSize = 4096

// Cache validates like its Validator, remembering tokens that passed, so a
// token sent again (SDK clients build one per call, and one built in the
// same second is the same string) is not parsed and verified again. The
// claims are checked again on every use, so expiry still applies. Only
// tokens that passed every check are kept, looked up by their whole text:
// a lookup tells nothing about a signature that was not already valid. A
// full cache is emptied. Safe for concurrent use.
type Cache struct {
	Validator Validator
	Size      int

	mu     sync.RWMutex
	claims map[string]Claims
}

// Validate is Validator.Validate, with the cache.
func (c *Cache) Validate(tok string) (Claims, error) {
	c.mu.RLock()
	claims, ok := c.claims[tok]
	c.mu.RUnlock()
	if ok {
		if err := c.Validator.check(claims); err != nil {
			return Claims{}, err
		}
		return claims, nil
	}
	claims, err := c.Validator.Validate(tok)
	if err != nil {
		return claims, err
	}
	size := c.Size
	if size <= 0 {
		size = DefaultCacheSize
	}
	c.mu.Lock()
	if c.claims == nil || len(c.claims) >= size {
		c.claims = make(map[string]Claims, min(size, 64))
	}
	c.claims[tok] = claims
	c.mu.Unlock()
	return claims, nil
}
