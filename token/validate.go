package token

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"p4p"
)

// Validation errors. Validate's errors wrap exactly one of them.
var (
	ErrMissing   = errors.New("token missing")
	ErrTooLong   = errors.New("token too long")
	ErrMalformed = errors.New("token malformed") // not three base64url parts, bad JSON, missing or mistyped claims
	ErrAlgorithm = errors.New("token algorithm not HS256")
	ErrSignature = errors.New("token signature invalid")
	ErrDomain    = errors.New("token for another network")
	ErrUser      = errors.New("token user not allowed")
	ErrExpired   = errors.New("token expired")
)

// javaKeyLength is how much of the key the JAVA 2.x SDK signs with (spec
// 2.2, 6.22).
const javaKeyLength = 32

// errNoKey is what keys reports when the Validator has no key.
var errNoKey = errors.New("no network key configured")

// Validator checks tokens like the SDKs' validateLivefyreToken (spec 2.4),
// and is stricter on the algorithm: HS256 only.
type Validator struct {
	Network string   // full network name, e.g. "labs.fyre.co"; must equal domain
	Key     string   // network key, used as raw bytes (spec 2.2)
	Users   []string // user ids accepted besides "system", e.g. network owners (spec 6.23)
	// AnyUser accepts a token for any user_id that is a p4p.UserID: a
	// user auth token, as Livefyre's Auth API takes one (spec 8.2), rather
	// than a system or owner token. Users is then ignored.
	AnyUser bool
	Now     func() time.Time // nil means time.Now
}

// parser verifies HS256 signatures only. It decodes numbers as json.Number
// and base64 strictly (no malleable trailing bits), and skips jwt's checks
// of exp, nbf and iat: Livefyre's expiry is the custom claim expires, a
// Node token's iat must pass, and an exp claim, past or not, is ignored as
// every SDK ignores it (spec 2.4 step 3).
var parser = jwt.NewParser(
	jwt.WithValidMethods([]string{"HS256"}),
	jwt.WithJSONNumber(),
	jwt.WithStrictDecoding(),
	jwt.WithoutClaimsValidation(),
)

// Validate parses and checks tok and returns its claims. The checks, in
// order: present; at most MaxLength bytes; three base64url parts whose
// header says alg HS256; signature; domain, user_id and expires present and
// well typed; domain equal to Network; user_id "system" or one of Users;
// expires at or after now, in seconds (spec 2.4). Other claims are allowed.
// On error the claims are zero.
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
	raw := jwt.MapClaims{}
	if _, err := parser.ParseWithClaims(tok, raw, v.keys); err != nil {
		return Claims{}, parseError(err)
	}
	c, err := claimsOf(raw)
	if err != nil {
		return Claims{}, err
	}
	if err := v.check(c); err != nil {
		return Claims{}, err
	}
	return c, nil
}

// checkAlgorithm reads the header before anything is verified, so that a
// token for another algorithm is ErrAlgorithm whatever its claims hold. It
// reads the header as jwt does: a JSON object whose "alg" is a string.
func checkAlgorithm(tok string) error {
	if n := strings.Count(tok, ".") + 1; n != 3 {
		return fmt.Errorf("%w: %d dot-separated parts, want 3", ErrMalformed, n)
	}
	header64, _, _ := strings.Cut(tok, ".")
	data, err := base64.RawURLEncoding.Strict().DecodeString(header64)
	if err != nil {
		return fmt.Errorf("%w: header is not base64url", ErrMalformed)
	}
	var header map[string]any
	if err := json.Unmarshal(data, &header); err != nil {
		return fmt.Errorf("%w: header is not a JSON object", ErrMalformed)
	}
	alg, ok := header["alg"].(string)
	switch {
	case !ok:
		return fmt.Errorf("%w: alg missing or not a string", ErrAlgorithm)
	case alg != jwt.SigningMethodHS256.Alg():
		return fmt.Errorf("%w: alg %.20q", ErrAlgorithm, alg)
	}
	return nil
}

// parseError maps an error from jwt, which has already seen an HS256
// header, to a sentinel. jwt's own error text is kept: it names the part
// that failed and never holds the token or the key.
func parseError(err error) error {
	switch {
	case errors.Is(err, errNoKey):
		return fmt.Errorf("%w: %v", ErrSignature, errNoKey)
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return ErrSignature
	}
	detail := strings.TrimPrefix(err.Error(), jwt.ErrTokenMalformed.Error()+": ")
	return fmt.Errorf("%w: %s", ErrMalformed, detail)
}

// keys are the HMAC keys a signature may use: the raw key, and for a key
// over 32 bytes also the JAVA 2.x SDK's truncation of it (accept every
// form real clients send; spec 2.2, 6.22). A key of 32 bytes or less signs
// the same either way, because HMAC zero-pads it.
func (v Validator) keys(*jwt.Token) (any, error) {
	switch {
	case v.Key == "":
		return nil, errNoKey
	case len(v.Key) <= javaKeyLength:
		return []byte(v.Key), nil
	}
	return jwt.VerificationKeySet{Keys: []jwt.VerificationKey{[]byte(v.Key), []byte(v.Key[:javaKeyLength])}}, nil
}

// check applies validateLivefyreToken's test (spec 2.4 step 2), with the
// Users allowed as well as "system" (spec 6.23).
func (v Validator) check(c Claims) error {
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	t := now()
	nowSec := float64(t.Unix()) + float64(t.Nanosecond())/1e9
	switch {
	case c.Domain != v.Network:
		return fmt.Errorf("%w: domain %.100q, want %q", ErrDomain, c.Domain, v.Network)
	case v.AnyUser && p4p.UserID(c.UserID).Validate() != nil:
		return fmt.Errorf("%w: user_id %.100q is not a user id", ErrUser, c.UserID)
	case !v.AnyUser && c.UserID != SystemUser && !slices.Contains(v.Users, c.UserID):
		return fmt.Errorf("%w: user_id %.100q", ErrUser, c.UserID)
	case c.Expires < nowSec:
		// expires >= now is valid: inclusive, in seconds, as the SDKs compare.
		return fmt.Errorf("%w: expires %s (%s), now %s", ErrExpired,
			strconv.FormatFloat(c.Expires, 'f', -1, 64), c.ExpiresAt().UTC().Format(time.RFC3339), t.UTC().Format(time.RFC3339))
	}
	return nil
}
