package token

import (
	"errors"
	"fmt"
	"math"
	"time"

	"p4p"

	"github.com/golang-jwt/jwt/v5"
)

// Style says how a builder encodes expires, mirroring the official SDKs
// (spec 2.3).
type Style int

const (
	// StyleInteger is the PY, JAVA, PHP and RUBY SDKs' form: an integer
	// expires and the header {"alg":"HS256","typ":"JWT"}.
	StyleInteger Style = iota
	// StyleNode is the NODE 2.0.x SDK's form (jsonwebtoken ^5): a float
	// expires, with a fractional part unless it falls on a whole second,
	// plus an integer iat.
	StyleNode
)

// Build signs c with key, used as raw bytes (spec 2.2), with HS256. Style
// StyleInteger truncates Expires to whole seconds; StyleNode writes it as
// is. iat is written whenever c.IssuedAt is set.
func Build(c Claims, key string, style Style) (string, error) {
	if key == "" {
		return "", errors.New("build token: empty key")
	}
	if math.IsNaN(c.Expires) || math.IsInf(c.Expires, 0) {
		return "", fmt.Errorf("build token: expires %v is not a finite number", c.Expires)
	}
	claims := jwt.MapClaims{"domain": c.Domain, "user_id": c.UserID, "display_name": c.DisplayName}
	switch style {
	case StyleInteger:
		claims["expires"] = int64(c.Expires)
	case StyleNode:
		claims["expires"] = c.Expires
	default:
		return "", fmt.Errorf("build token: unknown style %d", style)
	}
	if c.IssuedAt != nil {
		claims["iat"] = *c.IssuedAt
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(key))
}

// System builds the system token every 2.x SDK sends (buildLivefyreToken,
// spec 2.1): user_id and display_name "system", integer expires now+ttl.
func System(network, key string, ttl time.Duration, now time.Time) (string, error) {
	return User(network, key, SystemUser, SystemUser, ttl, now, StyleInteger)
}

// User builds a user auth token (buildUserAuthToken, spec 2.3) for userID,
// which must be a p4p.UserID: the 2.x SDKs' characters (spec 2.3), and at
// most p4p.MaxUserIDLength bytes, a bound the SDKs lack but that every
// part of p4p applies. It expires ttl (whole seconds) after now, computed
// as the SDKs do.
func User(network, key, userID, displayName string, ttl time.Duration, now time.Time, style Style) (string, error) {
	if err := p4p.UserID(userID).Validate(); err != nil {
		return "", fmt.Errorf("build token: %w", err)
	}
	c := Claims{Domain: network, UserID: userID, DisplayName: displayName}
	secs := int64(ttl / time.Second)
	switch style {
	case StyleNode:
		// Date.getTime()/1000 + parseInt(expires), and jsonwebtoken's
		// iat = Math.floor(Date.now()/1000) (spec 2.3).
		c.Expires = float64(now.UnixMilli())/1000 + float64(secs)
		iat := now.Unix()
		c.IssuedAt = &iat
	default:
		// int(time.time()) + expires (PY), time() + (int)$expires (PHP).
		c.Expires = float64(now.Unix() + secs)
	}
	return Build(c, key, style)
}

// Unsigned builds c as an unsecured JWT, header {"alg":"none","typ":"JWT"}
// and an empty signature, with an integer expires. No validator may accept
// it; the conformance suite sends it to check that endpoints refuse it.
func Unsigned(c Claims) (string, error) {
	claims := jwt.MapClaims{"domain": c.Domain, "user_id": c.UserID, "display_name": c.DisplayName,
		"expires": int64(c.Expires)}
	return jwt.NewWithClaims(jwt.SigningMethodNone, claims).SignedString(jwt.UnsafeAllowNoneSignatureType)
}
