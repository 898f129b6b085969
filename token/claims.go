package token

import (
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// SystemUser is the user id of the system token, the one Livefyre pulls
// with and the SDKs ping with (spec 2.1).
const SystemUser = "system"

// DefaultTTL is the lifetime of the SDKs' system token, 86 400 s (spec 2.1).
const DefaultTTL = 24 * time.Hour

// MaxLength is the longest token accepted, in bytes. Real tokens are a few
// hundred bytes; the limit bounds the work done on outside input.
const MaxLength = 8 << 10

// Claims are a Livefyre token's claims (spec 2.1).
type Claims struct {
	Domain      string  // full network name, e.g. "labs.fyre.co"
	UserID      string  // user_id; "system" for the system token
	DisplayName string  // display_name; optional when decoding
	Expires     float64 // expires: absolute Unix seconds, integer or float on the wire (spec 6.19)
	IssuedAt    *int64  // iat, which the Node SDK adds (spec 2.3); nil if absent
}

// ExpiresAt returns Expires as a time, to the nanosecond.
func (c Claims) ExpiresAt() time.Time {
	sec, frac := math.Modf(c.Expires)
	return time.Unix(int64(sec), int64(frac*1e9))
}

// claimsOf reads the claims out of a verified payload decoded with
// json.Number. LFAPIS requires domain, user_id and expires (spec 2.4);
// expires may be an integer or a float (spec 6.19) but not a string, and
// the V2 sample's "expiration" does not stand in for it. display_name, iat
// and any other claim are optional and unchecked (spec 2.4 step 3).
func claimsOf(raw map[string]any) (Claims, error) {
	var c Claims
	var ok bool
	if c.Domain, ok = raw["domain"].(string); !ok {
		return Claims{}, fmt.Errorf("%w: domain missing or not a string", ErrMalformed)
	}
	if c.UserID, ok = raw["user_id"].(string); !ok {
		return Claims{}, fmt.Errorf("%w: user_id missing or not a string", ErrMalformed)
	}
	c.DisplayName, _ = raw["display_name"].(string)
	n, ok := raw["expires"].(json.Number)
	if !ok {
		return Claims{}, fmt.Errorf("%w: expires missing or not a number", ErrMalformed)
	}
	f, err := n.Float64()
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return Claims{}, fmt.Errorf("%w: expires %.30s is not a finite number", ErrMalformed, n)
	}
	c.Expires = f
	if n, ok := raw["iat"].(json.Number); ok {
		if iat, err := n.Int64(); err == nil {
			c.IssuedAt = &iat
		}
	}
	return c, nil
}
