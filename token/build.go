package token

import (
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Style says how a builder encodes expires, as the official SDKs do (spec
// 2.3).
type Style int

const (
	// StyleInteger: integer expires (Python, Java, PHP, Ruby SDKs).
	StyleInteger Style = iota
	// StyleNode: float expires with a fractional part, plus an integer
	// iat (Node SDK 2.0.x, jsonwebtoken ^5).
	StyleNode
)

// userIDPattern is the SDKs' rule for user ids (spec 2.3).
var userIDPattern = regexp.MustCompile(`^[a-zA-Z0-9_.-]+$`)

// Build signs the claims with key, as raw bytes, with HS256.
func Build(c Claims, key string, style Style) (string, error) {
	if key == "" {
		return "", errors.New("token: empty key")
	}
	claims := jwt.MapClaims{"domain": c.Domain, "user_id": c.UserID, "display_name": c.DisplayName}
	switch style {
	case StyleInteger:
		claims["expires"] = int64(c.Expires)
	case StyleNode:
		claims["expires"] = c.Expires
		if c.IssuedAt != nil {
			claims["iat"] = *c.IssuedAt
		}
	default:
		return "", fmt.Errorf("token: unknown style %d", style)
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(key))
}

// System builds the system token every 2.x SDK sends (buildLivefyreToken,
// spec 2.1): user_id and display_name "system", integer expires now+ttl.
func System(network, key string, ttl time.Duration, now time.Time) (string, error) {
	return User(network, key, SystemUser, SystemUser, ttl, now, StyleInteger)
}

// User builds a user auth token (buildUserAuthToken, spec 2.3).
func User(network, key, userID, displayName string, ttl time.Duration, now time.Time, style Style) (string, error) {
	if !userIDPattern.MatchString(userID) {
		return "", fmt.Errorf("token: user id %.64q: only letters, digits, '_', '.' and '-' are allowed (spec 2.3)", userID)
	}
	c := Claims{Domain: network, UserID: userID, DisplayName: displayName}
	exp := now.Add(ttl)
	if style == StyleNode {
		// Date.getTime()/1000 + expires: milliseconds in the fraction.
		c.Expires = float64(exp.UnixMilli()) / 1000
		iat := now.Unix()
		c.IssuedAt = &iat
	} else {
		c.Expires = float64(exp.Unix())
	}
	return Build(c, key, style)
}
