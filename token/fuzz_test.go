package token

import (
	"testing"
	"time"
	"unicode/utf8"
)

func FuzzValidate(f *testing.F) {
	good, _ := System(network, key, time.Hour, now)
	node, _ := User(network, key, "system", "system", time.Hour, now, StyleNode)
	for _, s := range []string{good, node, "", "a.b.c", "eyJhbGciOiJub25lIn0.e30.", good + "x", good[:len(good)-1]} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		c, err := validator().Validate(tok)
		if err != nil {
			return
		}
		if c.Domain != network || c.UserID != SystemUser || c.Expires < float64(now.Unix()) {
			t.Fatalf("Validate(%q) accepted claims %+v", tok, c)
		}
	})
}

func FuzzRoundTrip(f *testing.F) {
	f.Add("system", "system", int64(86400))
	f.Add("a.b-c_1", "Ada Lovelace ☃", int64(1))
	f.Fuzz(func(t *testing.T, userID, displayName string, ttl int64) {
		if ttl < 0 || ttl > 10*365*86400 {
			return
		}
		tok, err := User(network, key, userID, displayName, time.Duration(ttl)*time.Second, now, StyleNode)
		if err != nil {
			if userIDPattern.MatchString(userID) {
				t.Fatalf("User(%q) failed: %v", userID, err)
			}
			return
		}
		v := validator()
		v.Users = []string{userID}
		c, err := v.Validate(tok)
		if err != nil && len(tok) <= MaxLength {
			t.Fatalf("Validate(User(%q, %q, %d)): %v", userID, displayName, ttl, err)
		}
		if err == nil && (c.UserID != userID || (utf8.ValidString(displayName) && c.DisplayName != displayName)) {
			t.Fatalf("claims %+v, want user %q display name %q", c, userID, displayName)
		}
	})
}
