package refapp

import (
	"sync"
	"time"
)

// staleCache is FaultStaleCache: a cache of pull bodies that keeps each
// user's body for FaultStaleTTL from the first time it is served, however
// the user changes meanwhile.
type staleCache struct {
	ttl time.Duration
	now func() time.Time

	mu   sync.Mutex
	byID map[string]staleBody
}

// staleBody is a cached body and when it stops being served.
type staleBody struct {
	body    []byte
	expires time.Time
}

func newStaleCache(ttl time.Duration) *staleCache {
	return &staleCache{ttl: ttl, now: time.Now, byID: make(map[string]staleBody)}
}

// body returns the cached body of id while it lasts, else fresh's, which
// it caches.
func (c *staleCache) body(id string, fresh func(string) ([]byte, bool)) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if b, ok := c.byID[id]; ok && now.Before(b.expires) {
		return b.body, true
	}
	body, ok := fresh(id)
	if ok {
		c.byID[id] = staleBody{body: body, expires: now.Add(c.ttl)}
	}
	return body, ok
}
