package refapp

import (
	"testing"
	"time"

	"p4p/token"
)

// FuzzFaultToken checks that each token fault loosens or tightens exactly
// its own check: a loosening fault accepts every token token.Validator
// accepts, and a tightening fault accepts no token it refuses.
func FuzzFaultToken(f *testing.F) {
	const network, key = "test.fyre.co", "a-network-key-longer-than-32-bytes-for-java"
	now := time.Now()
	for _, mint := range []func() (string, error){
		func() (string, error) { return token.System(network, key, time.Hour, now) },
		func() (string, error) { return token.System(network, key[:javaKeyLength], time.Hour, now) },
		func() (string, error) { return token.System(network, key, time.Hour, now.Add(-2*time.Hour)) },
		func() (string, error) { return token.System("other.fyre.co", key, time.Hour, now) },
		func() (string, error) {
			return token.User(network, key, "u-1", "U", time.Hour, now, token.StyleNode)
		},
		func() (string, error) {
			return token.User(network, key, token.SystemUser, token.SystemUser, time.Hour, now, token.StyleNode)
		},
	} {
		tok, err := mint()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(tok)
	}
	f.Add("eyJhbGciOiJub25lIn0.eyJkb21haW4iOiJ0ZXN0LmZ5cmUuY28iLCJ1c2VyX2lkIjoic3lzdGVtIiwiZXhwaXJlcyI6OTk5OTk5OTk5OX0.")
	f.Add("a.b.c")
	correct := token.Validator{Network: network, Key: key, Now: time.Now}
	f.Fuzz(func(t *testing.T, tok string) {
		_, err := correct.Validate(tok)
		ok := err == nil
		for _, fault := range []Fault{FaultNoAuth, FaultNoSignatureCheck, FaultAnyDomain, FaultAnyUser,
			FaultNoExpiryCheck, FaultAlgNone, FaultLooseClaims, FaultRequireIAT, FaultIntegerExpiresOnly, FaultRequireTyp} {
			_, err := newTokens(Config{Network: network, Key: key, Fault: fault}).Validate(tok)
			tightens := fault == FaultRequireIAT || fault == FaultIntegerExpiresOnly || fault == FaultRequireTyp
			switch {
			case ok && err != nil && !tightens:
				t.Errorf("%s refuses a token token.Validator accepts: %v", fault, err)
			case !ok && err == nil && tightens:
				t.Errorf("%s accepts a token token.Validator refuses", fault)
			}
		}
	})
}
