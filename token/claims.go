package token

import (
	"math"
	"time"
)

// SystemUser is the user id of the system token Livefyre pulls with and
// the SDKs ping with (spec 2.1).
const SystemUser = "system"

// DefaultTTL is the SDKs' system token lifetime, 86 400 s (spec 2.1).
const DefaultTTL = 24 * time.Hour

// MaxLength is the longest token accepted, in bytes.
const MaxLength = 8 << 10

// Claims are a Livefyre token's claims (spec 2.1).
type Claims struct {
	Domain      string
	UserID      string
	DisplayName string
	Expires     float64 // absolute Unix seconds; integer or float on the wire
	IssuedAt    *int64  // iat, which the Node SDK adds; nil if absent
}

// ExpiresAt is Expires as a time.
func (c Claims) ExpiresAt() time.Time {
	sec, frac := math.Modf(c.Expires)
	return time.Unix(int64(sec), int64(frac*1e9))
}
