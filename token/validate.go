package token

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Validation errors: Validate wraps exactly one of them.
var (
	ErrMissing   = errors.New("token missing")
	ErrTooLong   = errors.New("token too long")
	ErrMalformed = errors.New("token malformed")
	ErrAlgorithm = errors.New("token algorithm not HS256")
	ErrSignature = errors.New("token signature invalid")
	ErrDomain    = errors.New("token for another network")
	ErrUser      = errors.New("token user not allowed")
	ErrExpired   = errors.New("token expired")
)

// javaKeyLength is how much of the key the Java SDK 2.x signs with (spec
// 2.2, 6.22).
const javaKeyLength = 32

// Validator checks tokens like the SDKs' validateLivefyreToken (spec 2.4).
type Validator struct {
	Network string           // full network name; must equal domain
	Key     string           // network key, raw bytes
	Users   []string         // user ids accepted besides "system"
	Now     func() time.Time // nil means time.Now
}

// Validate parses and checks tok and returns its claims. The checks, in
// order: present, at most MaxLength, HS256 (none, HS512, RS256 and all
// others refused), signature, the claims domain, user_id and expires
// present and well typed, domain == Network, user_id "system" or in Users,
// expires >= now. Other claims are allowed; exp, nbf and iat are not
// Livefyre's and are not checked (spec 2.4).
func (v Validator) Validate(tok string) (Claims, error) {
	switch {
	case tok == "":
		return Claims{}, ErrMissing
	case len(tok) > MaxLength:
		return Claims{}, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLong, len(tok), MaxLength)
	}
	if err := checkAlgorithm(tok); err != nil {
		return Claims{}, err
	}
	var raw map[string]any
	parser := jwt.NewParser(jwt.WithValidMethods([]string{"HS256"}), jwt.WithJSONNumber(), jwt.WithoutClaimsValidation())
	if _, err := parser.ParseWithClaims(tok, (*jwt.MapClaims)(&raw), v.keys); err != nil {
		if errors.Is(err, jwt.ErrTokenSignatureInvalid) {
			return Claims{}, ErrSignature
		}
		return Claims{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	c, err := claimsOf(raw)
	if err != nil {
		return Claims{}, err
	}
	return c, v.check(c)
}

// keys are the HMAC keys a signature may use: the raw key, and for a key
// over 32 bytes the Java SDK's truncation of it ("accept every form real
// clients send"; spec 2.2, 6.22).
func (v Validator) keys(*jwt.Token) (any, error) {
	if v.Key == "" {
		return nil, errors.New("no key configured")
	}
	if len(v.Key) <= javaKeyLength {
		return []byte(v.Key), nil
	}
	return jwt.VerificationKeySet{Keys: []jwt.VerificationKey{[]byte(v.Key), []byte(v.Key[:javaKeyLength])}}, nil
}

// checkAlgorithm reads the header's alg before anything is verified.
func checkAlgorithm(tok string) error {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return fmt.Errorf("%w: want three dot-separated parts, got %d", ErrMalformed, len(parts))
	}
	data, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[0], "="))
	if err != nil {
		return fmt.Errorf("%w: header is not base64url", ErrMalformed)
	}
	var header struct {
		Alg string `json:"alg"`
	}
	if err := json.Unmarshal(data, &header); err != nil {
		return fmt.Errorf("%w: header is not a JSON object", ErrMalformed)
	}
	if header.Alg != "HS256" {
		return fmt.Errorf("%w: alg %.20q", ErrAlgorithm, header.Alg)
	}
	return nil
}

func claimsOf(raw map[string]any) (Claims, error) {
	var c Claims
	var ok bool
	if c.Domain, ok = raw["domain"].(string); !ok {
		return c, fmt.Errorf("%w: domain missing or not a string", ErrMalformed)
	}
	if c.UserID, ok = raw["user_id"].(string); !ok {
		return c, fmt.Errorf("%w: user_id missing or not a string", ErrMalformed)
	}
	c.DisplayName, _ = raw["display_name"].(string)
	exp, ok := raw["expires"].(json.Number)
	if !ok {
		return c, fmt.Errorf("%w: expires missing or not a number", ErrMalformed)
	}
	f, err := exp.Float64()
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return c, fmt.Errorf("%w: expires %.30q is not a finite number", ErrMalformed, exp)
	}
	c.Expires = f
	if iat, ok := raw["iat"].(json.Number); ok {
		if n, err := iat.Int64(); err == nil {
			c.IssuedAt = &n
		}
	}
	return c, nil
}

func (v Validator) check(c Claims) error {
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	switch {
	case c.Domain != v.Network:
		return fmt.Errorf("%w: domain %.100q, want %q", ErrDomain, c.Domain, v.Network)
	case c.UserID != SystemUser && !slices.Contains(v.Users, c.UserID):
		return fmt.Errorf("%w: user_id %.100q", ErrUser, c.UserID)
	case c.Expires < float64(now().UnixNano())/1e9:
		// Inclusive, in seconds, as every SDK compares (spec 2.4).
		return fmt.Errorf("%w: expired at %s", ErrExpired, c.ExpiresAt().UTC().Format(time.RFC3339))
	}
	return nil
}
