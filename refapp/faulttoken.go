package refapp

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"p4p/token"
)

// tokenValidator is what the Pull endpoint checks lftoken with.
type tokenValidator interface {
	Validate(tok string) (token.Claims, error)
}

var (
	_ tokenValidator = token.Validator{}
	_ tokenValidator = optionalToken{}
	_ tokenValidator = faultyToken{}
)

// newTokens is the token check for cfg: token.Validator, unless the fault
// breaks the check.
func newTokens(cfg Config) tokenValidator {
	v := token.Validator{Network: cfg.Network, Key: cfg.Key, Now: time.Now}
	switch cfg.Fault {
	case FaultNoAuth:
		return optionalToken{v}
	case FaultNoSignatureCheck, FaultAnyDomain, FaultAnyUser, FaultNoExpiryCheck,
		FaultAlgNone, FaultLooseClaims, FaultRequireIAT, FaultIntegerExpiresOnly, FaultRequireTyp:
		return faultyToken{network: cfg.Network, key: cfg.Key, fault: cfg.Fault}
	}
	return v
}

// optionalToken is FaultNoAuth: it validates a token fully when there is
// one, and lets a missing one through.
type optionalToken struct{ v token.Validator }

func (o optionalToken) Validate(tok string) (token.Claims, error) {
	if tok == "" {
		return token.Claims{}, nil
	}
	return o.v.Validate(tok)
}

// faultyToken validates tokens as token.Validator does (spec 2.4), except
// for the one thing its fault gets wrong.
type faultyToken struct {
	network, key string
	fault        Fault
}

// Validate checks tok: present and not too long; three base64url parts
// whose header says HS256 (or "none" with no signature, for FaultAlgNone);
// the signature; the claims' types; domain, user_id and expires; then the
// extra demands of FaultRequireTyp, FaultRequireIAT and
// FaultIntegerExpiresOnly.
func (f faultyToken) Validate(tok string) (token.Claims, error) {
	switch {
	case tok == "":
		return token.Claims{}, token.ErrMissing
	case len(tok) > token.MaxLength:
		return token.Claims{}, token.ErrTooLong
	}
	jwt, err := splitToken(tok)
	if err != nil {
		return token.Claims{}, err
	}
	if err := f.verify(jwt); err != nil {
		return token.Claims{}, err
	}
	c, err := claimsOf(jwt.claims)
	if err != nil {
		return token.Claims{}, err
	}
	if err := f.check(c, jwt.claims); err != nil {
		return token.Claims{}, err
	}
	return c, nil
}

// verify checks the algorithm and the signature, unless the fault skips
// them.
func (f faultyToken) verify(jwt rawToken) error {
	switch {
	case f.fault == FaultAlgNone && jwt.alg == "none" && jwt.signature == "":
		return nil
	case jwt.alg != "HS256":
		return fmt.Errorf("%w: alg %.20q", token.ErrAlgorithm, jwt.alg)
	case f.fault == FaultRequireTyp && jwt.typ != "JWT":
		return fmt.Errorf("%w: typ %.20q, want \"JWT\"", token.ErrMalformed, jwt.typ)
	case f.fault == FaultNoSignatureCheck:
		return nil
	}
	return jwt.verify(f.key)
}

// check applies validateLivefyreToken's test (spec 2.4 step 2), less what
// the fault skips, plus what it adds.
func (f faultyToken) check(c token.Claims, raw map[string]any) error {
	now := time.Now()
	nowSec := float64(now.Unix()) + float64(now.Nanosecond())/1e9
	_, hasIAT := raw["iat"]
	equal := func(a, b string) bool { return a == b }
	if f.fault == FaultLooseClaims {
		equal = strings.EqualFold
	}
	switch {
	case f.fault != FaultAnyDomain && !equal(c.Domain, f.network):
		return fmt.Errorf("%w: domain %.100q", token.ErrDomain, c.Domain)
	case f.fault != FaultAnyUser && !equal(c.UserID, token.SystemUser):
		return fmt.Errorf("%w: user_id %.100q", token.ErrUser, c.UserID)
	case f.fault != FaultNoExpiryCheck && c.Expires < nowSec:
		return token.ErrExpired
	case f.fault == FaultRequireIAT && !hasIAT:
		return fmt.Errorf("%w: iat missing", token.ErrMalformed)
	case f.fault == FaultIntegerExpiresOnly && !isInteger(raw["expires"]):
		return fmt.Errorf("%w: expires is not an integer", token.ErrMalformed)
	}
	return nil
}

// isInteger reports whether v is a JSON number written as an integer.
func isInteger(v any) bool {
	n, ok := v.(json.Number)
	if !ok {
		return false
	}
	_, err := n.Int64()
	return err == nil
}
