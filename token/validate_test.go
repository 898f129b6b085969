package token

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestGoldenVector: the EL sample token (spec 2.1) is HMAC-SHA256 over the
// raw key "testkeytest" (spec 2.2), and it validates.
func TestGoldenVector(t *testing.T) {
	tok := sign(hs256, golden, key)
	if _, _, sig := parts(t, tok); sig != "33GuJF_ou2O6CCV22Y3PlLUgP2Igy9vAXfmLONkt-Yo" {
		t.Fatalf("got signature %s, want the EL sample's 33GuJF_ou2O6CCV22Y3PlLUgP2Igy9vAXfmLONkt-Yo", sig)
	}
	got, err := validator().Validate(tok)
	if err != nil {
		t.Fatalf("got error %v, want none", err)
	}
	want := Claims{Domain: network, UserID: "system", DisplayName: "system", Expires: 1396655083}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("claims (-want +got):\n%s", diff)
	}
}

func TestValidate(t *testing.T) {
	good := sign(hs256, golden, key)
	h, p, sig := good[:strings.Index(good, ".")], b64(golden), good[strings.LastIndex(good, ".")+1:]
	longKey := strings.Repeat("k", 33) + "-longer-than-32-bytes"
	realKey := "M5X4rTeKsGNRsV2RekagqSIE9UM=" // V2's sample api_secret (spec 2.2)
	tests := []struct {
		name  string
		tok   string
		key   string   // "" means key, "-" means none
		users []string // Validator.Users
		want  error    // nil means valid
	}{
		{name: "EL sample", tok: good},
		{name: "SDK 2.x header with typ", tok: sign(sdkHS, golden, key)},
		{name: "Node float expires and iat", tok: sign(sdkHS, with("1396655083", `1396655083.123,"iat":1396655000`), key)},
		{name: "labs token without display_name", tok: sign(hs256, `{"domain":"test.fyre.com","user_id":"system","expires":1399195160.155761}`, key)},
		{name: "extra claims", tok: sign(hs256, with(`"domain"`, `"foo":[1,{"bar":null}],"domain"`), key)},
		{name: "past exp is not Livefyre's", tok: sign(hs256, with("}", `,"exp":1}`), key)},
		{name: "exp as a string", tok: sign(hs256, with("}", `,"exp":"soon"}`), key)},
		{name: "future nbf and iat", tok: sign(hs256, with("}", `,"nbf":4000000000,"iat":4000000000}`), key)},
		{name: "raw key, not base64-decoded", tok: sign(hs256, golden, realKey), key: realKey},

		{name: "missing", tok: "", want: ErrMissing},
		{name: "too long", tok: strings.Repeat("a", MaxLength+1), want: ErrTooLong},

		{name: "garbage", tok: "not a token", want: ErrMalformed},
		{name: "two parts", tok: h + "." + p, want: ErrMalformed},
		{name: "four parts", tok: good + ".x", want: ErrMalformed},
		{name: "header not base64url", tok: "!!." + p + "." + sig, want: ErrMalformed},
		{name: "header padded", tok: base64.URLEncoding.EncodeToString([]byte(hs256+" ")) + "." + p + "." + sig, want: ErrMalformed},
		{name: "header not an object", tok: sign(`["HS256"]`, golden, key), want: ErrMalformed},
		{name: "payload not JSON", tok: sign(hs256, `{"domain":`, key), want: ErrMalformed},
		{name: "payload not an object", tok: sign(hs256, `[1]`, key), want: ErrMalformed},
		{name: "alg none, unsigned", tok: b64(`{"alg":"none"}`) + "." + p + ".", want: ErrAlgorithm},
		{name: "alg none, signed", tok: sign(`{"alg":"none"}`, golden, key), want: ErrAlgorithm},
		{name: "alg none, no signature part at all", tok: b64(`{"alg":"none"}`) + "." + p, want: ErrMalformed},
		{name: "alg None", tok: sign(`{"alg":"None"}`, golden, key), want: ErrAlgorithm},
		{name: "alg hs256", tok: sign(`{"alg":"hs256"}`, golden, key), want: ErrAlgorithm},
		{name: "alg missing", tok: sign(`{"typ":"JWT"}`, golden, key), want: ErrAlgorithm},
		{name: "alg not a string", tok: sign(`{"alg":256}`, golden, key), want: ErrAlgorithm},
		{name: "ALG key", tok: sign(`{"ALG":"HS256"}`, golden, key), want: ErrAlgorithm},
		{name: "alg twice, HS256 first", tok: sign(`{"alg":"HS256","alg":"HS512"}`, golden, key), want: ErrAlgorithm},
		{name: "HS384", tok: sign(`{"alg":"HS384"}`, golden, key), want: ErrAlgorithm},
		{name: "HS512", tok: sign(`{"alg":"HS512"}`, golden, key), want: ErrAlgorithm},
		{name: "RS256 with an HMAC signature", tok: sign(`{"alg":"RS256"}`, golden, key), want: ErrAlgorithm},
		{name: "ES256", tok: sign(`{"alg":"ES256"}`, golden, key), want: ErrAlgorithm},
		{name: "EdDSA", tok: sign(`{"alg":"EdDSA"}`, golden, key), want: ErrAlgorithm},

		{name: "wrong key", tok: sign(hs256, golden, "testkeytesT"), want: ErrSignature},
		{name: "no key configured", tok: good, key: "-", want: ErrSignature},
		{name: "base64-decoded key", tok: sign(hs256, golden, decoded(realKey)), key: realKey, want: ErrSignature},
		{name: "tampered payload", tok: h + "." + b64(with("system", "systen")) + "." + sig, want: ErrSignature},
		{name: "empty signature", tok: h + "." + p + ".", want: ErrSignature},
		{name: "truncated signature", tok: good[:len(good)-3], want: ErrSignature},
		{name: "signature with an extra char", tok: good + "A", want: ErrSignature},
		{name: "signature with padding", tok: good + "=", want: ErrMalformed},
		{name: "signature with non-zero trailing bits", tok: good[:len(good)-1] + flipLowBit(good[len(good)-1:]), want: ErrMalformed},

		{name: "missing expires", tok: sign(hs256, `{"domain":"test.fyre.com","user_id":"system"}`, key), want: ErrMalformed},
		{name: "V2 expiration instead of expires", tok: sign(hs256, strings.Replace(golden, "expires", "expiration", 1), key), want: ErrMalformed},
		{name: "expires a string", tok: sign(hs256, with("1396655083", `"123"`), key), want: ErrMalformed},
		{name: "expires null", tok: sign(hs256, with("1396655083", `null`), key), want: ErrMalformed},
		{name: "expires out of range", tok: sign(hs256, with("1396655083", `1e400`), key), want: ErrMalformed},
		{name: "missing domain", tok: sign(hs256, `{"user_id":"system","expires":1396655083}`, key), want: ErrMalformed},
		{name: "domain a number", tok: sign(hs256, with(`"test.fyre.com"`, `7`), key), want: ErrMalformed},
		{name: "missing user_id", tok: sign(hs256, `{"domain":"test.fyre.com","expires":1396655083}`, key), want: ErrMalformed},

		{name: "another domain", tok: sign(hs256, with("test.fyre.com", "other.fyre.co"), key), want: ErrDomain},
		{name: "domain in another case", tok: sign(hs256, with("test.fyre.com", "Test.fyre.com"), key), want: ErrDomain},
		{name: "short network name", tok: sign(hs256, with("test.fyre.com", "test"), key), want: ErrDomain},

		{name: "non-system user", tok: sign(hs256, with(`"user_id":"system"`, `"user_id":"u-1"`), key), want: ErrUser},
		{name: "System", tok: sign(hs256, with(`"user_id":"system"`, `"user_id":"System"`), key), want: ErrUser},
		{name: "user in Users", tok: sign(hs256, with(`"user_id":"system"`, `"user_id":"u-1"`), key), users: []string{"owner", "u-1"}},
		{name: "system with Users", tok: good, users: []string{"owner"}},

		{name: "expired by one second", tok: sign(hs256, with("1396655083", "1396654999"), key), want: ErrExpired},
		{name: "expired by a millisecond", tok: sign(hs256, with("1396655083", "1396654999.999"), key), want: ErrExpired},
		{name: "expires exactly now", tok: sign(hs256, with("1396655083", "1396655000"), key)},
		{name: "expires exactly now, float", tok: sign(hs256, with("1396655083", "1396655000.0"), key)},

		{name: "Java-truncated long key", tok: sign(hs256, golden, longKey[:32]), key: longKey},
		{name: "long key", tok: sign(hs256, golden, longKey), key: longKey},
		{name: "long key cut at 31 bytes", tok: sign(hs256, golden, longKey[:31]), key: longKey, want: ErrSignature},
		{name: "Java zero-padded short key", tok: sign(hs256, golden, key+strings.Repeat("\x00", 32-len(key)))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := validator()
			v.Users = tt.users
			switch tt.key {
			case "":
			case "-":
				v.Key = ""
			default:
				v.Key = tt.key
			}
			got, err := v.Validate(tt.tok)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("got error %v, want none", err)
				}
				if got.Domain != network || got.Expires < float64(now.Unix()) {
					t.Errorf("got claims %+v", got)
				}
				return
			}
			t.Logf("error: %v", err)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got error %v, want %v", err, tt.want)
			}
			checkError(t, err, tt.tok, v.Key)
			if diff := cmp.Diff(Claims{}, got); diff != "" {
				t.Errorf("claims on error (-want +got):\n%s", diff)
			}
		})
	}
}

// checkError checks that err wraps exactly one sentinel and does not
// leak the token, its signature or the key.
func checkError(t *testing.T, err error, tok, k string) {
	t.Helper()
	if got := matched(err); len(got) != 1 {
		t.Errorf("error %q wraps %v, want exactly one sentinel", err, got)
	}
	msg := err.Error()
	if k != "" && strings.Contains(msg, k) {
		t.Errorf("error %q contains the key", msg)
	}
	if sig := tok[strings.LastIndex(tok, ".")+1:]; len(sig) > 8 && strings.Contains(msg, sig) {
		t.Errorf("error %q contains the signature", msg)
	}
}

// TestMaxLength: a token of MaxLength bytes is parsed, one byte more is not.
func TestMaxLength(t *testing.T) {
	fits, over := "", ""
	for n := 1; len(over) <= MaxLength; n++ {
		tok := sign(hs256, with(`"display_name":"system"`, `"display_name":"`+strings.Repeat("x", n)+`"`), key)
		if len(tok) <= MaxLength {
			fits = tok
		} else {
			over = tok
		}
	}
	if _, err := validator().Validate(fits); err != nil {
		t.Errorf("%d-byte token: got error %v, want none", len(fits), err)
	}
	if _, err := validator().Validate(over); !errors.Is(err, ErrTooLong) {
		t.Errorf("%d-byte token: got error %v, want %v", len(over), err, ErrTooLong)
	}
}

// TestNow: a nil Now is the wall clock.
func TestNow(t *testing.T) {
	v := Validator{Network: network, Key: key}
	fresh, _ := System(network, key, time.Minute, time.Now())
	stale, _ := System(network, key, time.Minute, time.Now().Add(-2*time.Minute))
	if _, err := v.Validate(fresh); err != nil {
		t.Errorf("fresh token: got error %v, want none", err)
	}
	if _, err := v.Validate(stale); !errors.Is(err, ErrExpired) {
		t.Errorf("stale token: got error %v, want %v", err, ErrExpired)
	}
}

// TestSentinels: each sentinel is reachable and is the one matched.
func TestSentinels(t *testing.T) {
	toks := map[error]string{
		ErrMissing:   "",
		ErrTooLong:   strings.Repeat(".", MaxLength+1),
		ErrMalformed: "a.b",
		ErrAlgorithm: sign(`{"alg":"none"}`, golden, key),
		ErrSignature: sign(hs256, golden, "other"),
		ErrDomain:    sign(hs256, with("test.fyre.com", "x.fyre.co"), key),
		ErrUser:      sign(hs256, with(`"user_id":"system"`, `"user_id":"x"`), key),
		ErrExpired:   sign(hs256, with("1396655083", "1"), key),
	}
	for _, want := range sentinels {
		_, err := validator().Validate(toks[want])
		if diff := cmp.Diff([]error{want}, matched(err), cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
			t.Errorf("%v: sentinels matched (-want +got):\n%s", want, diff)
		}
	}
}

func decoded(k string) string {
	b, err := base64.StdEncoding.DecodeString(k)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// flipLowBit returns the base64url character c with its lowest bit flipped.
func flipLowBit(c string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	return string(alphabet[strings.Index(alphabet, c)^1])
}

// TestAnyUser: a Validator for user auth tokens takes any user's token of
// its network, refuses one whose user_id is not a user id, and otherwise
// checks as ever; without AnyUser the same user token is refused.
func TestAnyUser(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	v := Validator{Network: "labs.fyre.co", Key: "k", AnyUser: true, Now: func() time.Time { return now }}
	good, err := User("labs.fyre.co", "k", "u-1", "Ada", time.Hour, now, StyleInteger)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := v.Validate(good); err != nil || c.UserID != "u-1" || c.DisplayName != "Ada" {
		t.Errorf("user token: %+v, %v", c, err)
	}
	bad, _ := Build(Claims{Domain: "labs.fyre.co", UserID: "a b", Expires: float64(now.Unix() + 60)}, "k", StyleInteger)
	if _, err := v.Validate(bad); !errors.Is(err, ErrUser) {
		t.Errorf("user_id %q: %v, want ErrUser", "a b", err)
	}
	other, _ := User("other.fyre.co", "k", "u-1", "", time.Hour, now, StyleInteger)
	if _, err := v.Validate(other); !errors.Is(err, ErrDomain) {
		t.Errorf("another network's: %v, want ErrDomain", err)
	}
	v.AnyUser = false
	if _, err := v.Validate(good); !errors.Is(err, ErrUser) {
		t.Errorf("without AnyUser: %v, want ErrUser", err)
	}
}
