package token_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"p4p"
	"p4p/token"
)

var nearMissNow = time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)

// TestNearMissesRefused: p4p's own validator, which the mock and the
// reference endpoint use, refuses every near miss, those the SDK lets
// through included, and accepts the valid token they all miss.
func TestNearMissesRefused(t *testing.T) {
	for _, key := range []string{"M5X4rTeKsGNRsV2RekagqSIE9UM=", "k", strings.Repeat("long-key-", 8)} {
		v := token.Validator{Network: "labs.fyre.co", Key: key, Now: func() time.Time { return nearMissNow }}
		valid, err := token.System("labs.fyre.co", key, token.DefaultTTL, nearMissNow)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := v.Validate(valid); err != nil {
			t.Fatalf("key %q: the valid token is refused: %v", key, err)
		}
		ms, err := token.NearMisses("labs.fyre.co", key, nearMissNow)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if _, err := v.Validate(m.Token); err == nil {
				t.Errorf("key %q: %s (%s) accepted", key, m.Name, m.Rule)
			}
		}
	}
}

// TestNearMissesCoverEveryRule: each rule has its family, with the forms
// the issue names, and no two near misses are the same token.
func TestNearMissesCoverEveryRule(t *testing.T) {
	ms, err := token.NearMisses("labs.fyre.co", "M5X4rTeKsGNRsV2RekagqSIE9UM=", nearMissNow)
	if err != nil {
		t.Fatal(err)
	}
	byRule, seen := map[string][]string{}, map[string]string{}
	for _, m := range ms {
		byRule[m.Rule] = append(byRule[m.Rule], m.Name)
		if other, dup := seen[m.Token]; dup {
			t.Errorf("%q and %q are the same token", m.Name, other)
		}
		seen[m.Token] = m.Name
	}
	for rule, want := range map[string][]string{
		token.RuleAlg:       {`alg "none", unsigned`, `alg "hs256" (lower case)`, "alg absent", `alg ""`, `alg "HS512", signed with the key`},
		token.RuleSignature: {"signature empty", "signature truncated by one character", "signed with the empty key", "signed with a prefix of the key"},
		token.RuleDomain:    {"domain absent", "domain a number", `domain "LABS.FYRE.CO" (upper case)`, `domain "labs.fyre.c" (a prefix)`, `domain "abs.fyre.co" (a suffix)`, `domain "labs.fyre.cox" (a superstring)`, `domain "labs2.fyre.co" (another value)`},
		token.RuleUserID:    {"user_id absent", `user_id "System" (title case)`, `user_id "syste" (a prefix)`, "user_id a list holding the right value"},
		token.RuleExpires:   {"expires 5m0s past", "expires a day past", "expires absent", `expires "soon", not a number`, "expires a future time as a numeric string"},
	} {
		for _, w := range want {
			found := false
			for _, name := range byRule[rule] {
				found = found || name == w
			}
			if !found {
				t.Errorf("rule %s has no near miss %q; it has %q", rule, w, byRule[rule])
			}
		}
	}
	if _, err := token.NearMisses("", "k", nearMissNow); err == nil {
		t.Error("NearMisses with no network: no error")
	}
}

// FuzzNearMisses: whatever the network and key, every near miss is
// well-formed enough to be judged, and refused by p4p's validator.
func FuzzNearMisses(f *testing.F) {
	f.Add("labs.fyre.co", "M5X4rTeKsGNRsV2RekagqSIE9UM=", int64(1700000000))
	f.Add("a.fyre.co", "k", int64(1e9))
	f.Add("x.y.fyre.co", strings.Repeat("z", 40), int64(4e9))
	f.Fuzz(func(t *testing.T, network, key string, unix int64) {
		if unix < 1e9 || unix > 1e10 { // from 2001 to 2286: a clock of this era
			return
		}
		now := time.Unix(unix, 0)
		ms, err := token.NearMisses(network, key, now)
		if err != nil {
			if p4p.Network(network).Validate() == nil && key != "" && !strings.ContainsRune(key, 0) {
				t.Fatalf("network %q, key %q: %v", network, key, err)
			}
			return
		}
		v := token.Validator{Network: network, Key: key, Now: func() time.Time { return now }}
		for _, m := range ms {
			if m.Rule == "" || m.Name == "" || strings.Count(m.Token, ".") != 2 {
				t.Fatalf("malformed near miss %+v", m)
			}
			if _, err := v.Validate(m.Token); err == nil {
				t.Fatalf("network %q, key %q: %s (%s) accepted", network, key, m.Name, m.Rule)
			}
		}
	})
}

func ExampleNearMisses() {
	ms, err := token.NearMisses("labs.fyre.co", "network-key", time.Now())
	if err != nil {
		panic(err)
	}
	counts := map[string]int{}
	for _, m := range ms {
		counts[m.Rule]++
	}
	fmt.Println(counts[token.RuleAlg] > 0, counts[token.RuleSignature] > 0, counts[token.RuleDomain] > 0,
		counts[token.RuleUserID] > 0, counts[token.RuleExpires] > 0)
	// Output: true true true true true
}

// TestValidFormsAccepted: p4p's validator accepts every valid form.
func TestValidFormsAccepted(t *testing.T) {
	forms, err := token.ValidForms("labs.fyre.co", "M5X4rTeKsGNRsV2RekagqSIE9UM=", nearMissNow)
	if err != nil {
		t.Fatal(err)
	}
	v := token.Validator{Network: "labs.fyre.co", Key: "M5X4rTeKsGNRsV2RekagqSIE9UM=", Now: func() time.Time { return nearMissNow }}
	for _, f := range forms {
		if _, err := v.Validate(f.Token); err != nil {
			t.Errorf("%s: refused: %v", f.Name, err)
		}
	}
}
