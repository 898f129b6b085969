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

const (
	network = "test.fyre.com"
	key     = "testkeytest"
)

var now = time.Unix(1396655000, 0)

func validator() Validator {
	return Validator{Network: network, Key: key, Now: func() time.Time { return now }}
}

// sign builds a token from raw header and payload JSON, HMAC-SHA256 with
// the key's raw bytes.
func sign(header, payload, k string) string {
	enc := base64.RawURLEncoding
	input := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload))
	mac := hmac.New(sha256.New, []byte(k))
	mac.Write([]byte(input))
	return input + "." + enc.EncodeToString(mac.Sum(nil))
}

// TestGoldenVector: the EL sample token (spec 2.1) is HMAC-SHA256 over the
// raw key "testkeytest", and validates.
func TestGoldenVector(t *testing.T) {
	tok := sign(`{"alg":"HS256"}`, `{"domain":"test.fyre.com","user_id":"system","display_name":"system","expires":1396655083}`, key)
	if sig := tok[strings.LastIndex(tok, ".")+1:]; sig != "33GuJF_ou2O6CCV22Y3PlLUgP2Igy9vAXfmLONkt-Yo" {
		t.Fatalf("signature %s, want the EL sample's 33GuJF_ou2O6CCV22Y3PlLUgP2Igy9vAXfmLONkt-Yo", sig)
	}
	c, err := validator().Validate(tok)
	if err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if c.Domain != network || c.UserID != "system" || c.Expires != 1396655083 {
		t.Errorf("claims %+v", c)
	}
}

func TestRoundTrip(t *testing.T) {
	for _, style := range []Style{StyleInteger, StyleNode} {
		tok, err := User(network, key, "a.b-c_1", "Ada", time.Hour, now.Add(123*time.Millisecond), style)
		if err != nil {
			t.Fatal(err)
		}
		payload := decodePayload(t, tok)
		v := validator()
		v.Users = []string{"a.b-c_1"}
		c, err := v.Validate(tok)
		if err != nil {
			t.Fatalf("style %d: %v", style, err)
		}
		switch style {
		case StyleInteger:
			if !strings.Contains(payload, `"expires":1396658600`) || strings.Contains(payload, "iat") {
				t.Errorf("integer style payload %s, want integer expires and no iat", payload)
			}
		case StyleNode:
			if !strings.Contains(payload, `"expires":1396658600.123`) || !strings.Contains(payload, `"iat":1396655000`) {
				t.Errorf("node style payload %s, want float expires and iat", payload)
			}
			if c.IssuedAt == nil || *c.IssuedAt != 1396655000 {
				t.Errorf("iat %v, want 1396655000", c.IssuedAt)
			}
		}
		if c.UserID != "a.b-c_1" || c.DisplayName != "Ada" {
			t.Errorf("claims %+v", c)
		}
	}
}

func decodePayload(t *testing.T, tok string) string {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[1])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRejections(t *testing.T) {
	claims := func(extra string) string {
		return `{"domain":"test.fyre.com","user_id":"system","display_name":"system","expires":1396655083` + extra + `}`
	}
	good := sign(`{"alg":"HS256","typ":"JWT"}`, claims(""), key)
	longKey := strings.Repeat("k", 40)
	tests := []struct {
		name  string
		tok   string
		key   string
		users []string
		want  error
	}{
		{"valid", good, key, nil, nil},
		{"missing", "", key, nil, ErrMissing},
		{"too long", strings.Repeat("a", MaxLength+1), key, nil, ErrTooLong},
		{"garbage", "not a token", key, nil, ErrMalformed},
		{"two parts", "a.b", key, nil, ErrMalformed},
		{"alg none, unsigned", sign(`{"alg":"none"}`, claims(""), key)[:len(good)-43], key, nil, ErrAlgorithm},
		{"alg none, empty signature", strings.Join(strings.Split(sign(`{"alg":"none"}`, claims(""), key), ".")[:2], ".") + ".", key, nil, ErrAlgorithm},
		{"HS512", sign(`{"alg":"HS512"}`, claims(""), key), key, nil, ErrAlgorithm},
		{"RS256 with an HMAC signature", sign(`{"alg":"RS256"}`, claims(""), key), key, nil, ErrAlgorithm},
		{"wrong key", sign(`{"alg":"HS256"}`, claims(""), "other"), key, nil, ErrSignature},
		{"truncated signature", good[:len(good)-4], key, nil, ErrSignature},
		{"padded signature", good + "==", key, nil, ErrMalformed},
		{"another domain", sign(`{"alg":"HS256"}`, strings.Replace(claims(""), "test.fyre.com", "other.fyre.co", 1), key), key, nil, ErrDomain},
		{"ordinary user", sign(`{"alg":"HS256"}`, strings.Replace(claims(""), `"user_id":"system"`, `"user_id":"u-1"`, 1), key), key, nil, ErrUser},
		{"allowed owner", sign(`{"alg":"HS256"}`, strings.Replace(claims(""), `"user_id":"system"`, `"user_id":"u-1"`, 1), key), key, []string{"u-1"}, nil},
		{"expired by a second", sign(`{"alg":"HS256"}`, strings.Replace(claims(""), "1396655083", "1396654999", 1), key), key, nil, ErrExpired},
		{"expires exactly now", sign(`{"alg":"HS256"}`, strings.Replace(claims(""), "1396655083", "1396655000", 1), key), key, nil, nil},
		{"expires a string", sign(`{"alg":"HS256"}`, strings.Replace(claims(""), "1396655083", `"1396655083"`, 1), key), key, nil, ErrMalformed},
		{"expires missing", sign(`{"alg":"HS256"}`, `{"domain":"test.fyre.com","user_id":"system"}`, key), key, nil, ErrMalformed},
		{"V2 expiration instead of expires", sign(`{"alg":"HS256"}`, `{"domain":"test.fyre.com","user_id":"system","expiration":1396655083}`, key), key, nil, ErrMalformed},
		{"domain missing", sign(`{"alg":"HS256"}`, `{"user_id":"system","expires":1396655083}`, key), key, nil, ErrMalformed},
		{"float expires and iat (Node)", sign(`{"alg":"HS256","typ":"JWT"}`, claims(`,"iat":1396655000`), key), key, nil, nil},
		{"past exp is not Livefyre's", sign(`{"alg":"HS256"}`, claims(`,"exp":1`), key), key, nil, nil},
		{"huge display_name", sign(`{"alg":"HS256"}`, strings.Replace(claims(""), `"display_name":"system"`, `"display_name":"`+strings.Repeat("x", 4000)+`"`, 1), key), key, nil, nil},
		{"Java-truncated long key", sign(`{"alg":"HS256"}`, claims(""), longKey[:32]), longKey, nil, nil},
		{"long key", sign(`{"alg":"HS256"}`, claims(""), longKey), longKey, nil, nil},
		{"claims not an object", sign(`{"alg":"HS256"}`, `[1]`, key), key, nil, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := validator()
			v.Key, v.Users = tt.key, tt.users
			_, err := v.Validate(tt.tok)
			if tt.want == nil && err != nil {
				t.Fatalf("Validate: %v, want nil", err)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("Validate: %v, want %v", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), key) {
				t.Errorf("error %q contains the key", err)
			}
		})
	}
}

func TestUserRejectsBadIDs(t *testing.T) {
	for _, id := range []string{"", "a b", "a/b", "ü"} {
		if _, err := User(network, key, id, "x", time.Hour, now, StyleInteger); err == nil {
			t.Errorf("User(%q) succeeded, want an error", id)
		}
	}
}

func TestRedact(t *testing.T) {
	tok, _ := System(network, key, time.Hour, now)
	got := Redact(tok)
	sig := tok[strings.LastIndex(tok, ".")+1:]
	if strings.Contains(got, sig) || strings.Contains(got, tok) || strings.Contains(got, strings.Split(tok, ".")[1]) {
		t.Errorf("Redact(%q) = %q: leaks the token", tok, got)
	}
	if Redact("") != "" || strings.Contains(Redact("secret-ish"), "secret") {
		t.Errorf("Redact of a non-JWT leaks it: %q", Redact("secret-ish"))
	}
}
