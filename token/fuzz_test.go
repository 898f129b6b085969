package token

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"p4p"

	"github.com/google/go-cmp/cmp"
)

// FuzzValidate: Validate never panics, every error wraps exactly one
// sentinel, and whatever it accepts satisfies spec 2.4.
func FuzzValidate(f *testing.F) {
	system, _ := System(network, key, time.Hour, now)
	node, _ := User(network, key, "system", "system", time.Hour, now, StyleNode)
	owner, _ := User(network, key, "owner-1", "Owner", time.Hour, now, StyleInteger)
	for _, s := range []string{
		system, node, owner, sign(hs256, golden, key), "", "a.b.c", "..", "not a token",
		sign(`{"alg":"none"}`, golden, key), b64(`{"alg":"none"}`) + "." + b64(golden) + ".",
		sign(`{"alg":"HS512"}`, golden, key), sign(hs256, with("1396655083", `"1396655083"`), key),
		sign(hs256, with("test.fyre.com", "other.fyre.co"), key), sign(hs256, with("1396655083", "1"), key),
		system + "x", system[:len(system)-1], strings.Repeat("a", MaxLength+1),
	} {
		f.Add(s)
	}
	v := validator()
	v.Users = []string{"owner-1"}
	f.Fuzz(func(t *testing.T, tok string) {
		c, err := v.Validate(tok)
		if err != nil {
			if got := matched(err); len(got) != 1 {
				t.Fatalf("Validate(%q): error %q wraps %v, want exactly one sentinel", tok, err, got)
			}
			return
		}
		if c.Domain != network || !slices.Contains([]string{SystemUser, "owner-1"}, c.UserID) || c.Expires < float64(now.Unix()) {
			t.Fatalf("Validate(%q) accepted claims %+v", tok, c)
		}
	})
}

// FuzzRoundTrip: a token User builds for a valid user id validates, with
// the same claims; an invalid user id is refused.
func FuzzRoundTrip(f *testing.F) {
	f.Add("system", "system", int64(86400), false)
	f.Add("a.b-c_1", "Ada Lovelace ☃ <&>", int64(1), true)
	f.Add("bad id", "", int64(60), false)
	start := now.Add(123 * time.Millisecond)
	f.Fuzz(func(t *testing.T, userID, displayName string, ttl int64, node bool) {
		if ttl < 1 || ttl > 100*365*86400 {
			return
		}
		style, iat := StyleInteger, (*int64)(nil)
		want := Claims{Domain: network, UserID: userID, DisplayName: displayName, Expires: float64(start.Unix() + ttl)}
		if node {
			style, iat = StyleNode, new(start.Unix())
			want.Expires, want.IssuedAt = float64(start.UnixMilli())/1000+float64(ttl), iat
		}
		tok, err := User(network, key, userID, displayName, time.Duration(ttl)*time.Second, start, style)
		if p4p.UserID(userID).Validate() != nil {
			if err == nil {
				t.Fatalf("User(%q): got no error, want one", userID)
			}
			return
		}
		if err != nil {
			t.Fatalf("User(%q, %q): %v", userID, displayName, err)
		}
		v := validator()
		v.Now = func() time.Time { return start }
		v.Users = []string{userID}
		got, err := v.Validate(tok)
		if errors.Is(err, ErrTooLong) && len(tok) > MaxLength {
			return
		}
		if err != nil {
			t.Fatalf("Validate(User(%q, %q, %d, %v)): %v", userID, displayName, ttl, node, err)
		}
		if !utf8.ValidString(displayName) {
			want.DisplayName = jsonRoundTrip(t, displayName) // invalid bytes become U+FFFD
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("claims (-want +got):\n%s", diff)
		}
	})
}

func jsonRoundTrip(t *testing.T, s string) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var out string
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
