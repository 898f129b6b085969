package token

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
)

// The EL sample token's network, key and claims (spec 2.1, 2.2).
const (
	network = "test.fyre.com"
	key     = "testkeytest"
	hs256   = `{"alg":"HS256"}`
	sdkHS   = `{"alg":"HS256","typ":"JWT"}`
	golden  = `{"domain":"test.fyre.com","user_id":"system","display_name":"system","expires":1396655083}`
)

// now is 83 s before the EL sample token expires.
var now = time.Unix(1396655000, 0)

func validator() Validator {
	return Validator{Network: network, Key: key, Now: func() time.Time { return now }}
}

// sign builds a token by hand from raw header and payload JSON, with
// HMAC-SHA256 over the key's raw bytes, so tests control every byte.
func sign(header, payload, k string) string {
	input := b64(header) + "." + b64(payload)
	mac := hmac.New(sha256.New, []byte(k))
	mac.Write([]byte(input))
	return input + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// with returns the golden payload with old replaced by new.
func with(old, new string) string {
	if !strings.Contains(golden, old) {
		panic("golden payload has no " + old)
	}
	return strings.Replace(golden, old, new, 1)
}

// parts splits a token into header, payload and signature.
func parts(t *testing.T, tok string) (header, payload, sig string) {
	t.Helper()
	p := strings.Split(tok, ".")
	if len(p) != 3 {
		t.Fatalf("token has %d parts, want 3", len(p))
	}
	h, err := base64.RawURLEncoding.DecodeString(p[0])
	if err != nil {
		t.Fatal(err)
	}
	b, err := base64.RawURLEncoding.DecodeString(p[1])
	if err != nil {
		t.Fatal(err)
	}
	return string(h), string(b), p[2]
}

var sentinels = []error{ErrMissing, ErrTooLong, ErrMalformed, ErrAlgorithm, ErrSignature, ErrDomain, ErrUser, ErrExpired}

// matched returns the sentinels err wraps.
func matched(err error) []error {
	var got []error
	for _, s := range sentinels {
		if errors.Is(err, s) {
			got = append(got, s)
		}
	}
	return got
}
