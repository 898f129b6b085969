package conformance

import (
	"fmt"
	"time"

	"p4p/token"
)

// Values of the wrong tokens the auth specs send.
const (
	wrongKey     = "p4p-not-the-network-key"
	otherNetwork = "p4p-other-network.fyre.co"
	expiredBy    = time.Hour
)

// credential is a kind of lftoken the suite sends: how to mint one now,
// and the p4p token flags that mint one like it in a shell.
type credential struct {
	name  string // what it is, for evidence titles
	valid bool   // an endpoint must accept it
	mint  func(c Config, now time.Time) (string, error)
	flags func(c Config) string // p4p token flags; "" for no token
}

// The credentials of spec 1.5 and 2.4: what Livefyre sends, and what it
// never would.
var (
	noToken = credential{name: "no lftoken"}

	systemInteger = credential{
		name:  "a valid system token with an integer expires, as the Python, PHP, Ruby and Java SDKs build it",
		valid: true,
		mint: func(c Config, now time.Time) (string, error) {
			return token.System(c.Network, c.Key, token.DefaultTTL, now)
		},
		flags: func(c Config) string { return networkFlags(c.Network) },
	}
	systemNode = credential{
		name:  "a valid system token with a float expires and iat, as the Node SDK builds it",
		valid: true,
		mint: func(c Config, now time.Time) (string, error) {
			return token.User(c.Network, c.Key, token.SystemUser, token.SystemUser, token.DefaultTTL, now, token.StyleNode)
		},
		flags: func(c Config) string { return networkFlags(c.Network) + " --style node" },
	}
	badSignature = credential{
		name: "a system token signed with another key",
		mint: func(c Config, now time.Time) (string, error) {
			return token.System(c.Network, wrongKey, token.DefaultTTL, now)
		},
		flags: func(c Config) string { return fmt.Sprintf("--network %s --key %s", c.Network, wrongKey) },
	}
	otherDomain = credential{
		name: "a system token for another network (domain " + otherNetwork + ")",
		mint: func(c Config, now time.Time) (string, error) {
			return token.System(otherNetwork, c.Key, token.DefaultTTL, now)
		},
		flags: func(c Config) string { return networkFlags(otherNetwork) },
	}
	userToken = credential{
		name: "a token for an ordinary user instead of system",
		mint: func(c Config, now time.Time) (string, error) {
			return token.User(c.Network, c.Key, c.primary(), c.primary(), token.DefaultTTL, now, token.StyleInteger)
		},
		flags: func(c Config) string { return networkFlags(c.Network) + " --user " + c.primary() },
	}
	expired = credential{
		name: "a system token that expired an hour ago",
		mint: func(c Config, now time.Time) (string, error) {
			return token.System(c.Network, c.Key, -expiredBy, now)
		},
		flags: func(c Config) string { return networkFlags(c.Network) + " --ttl -1h" },
	}
	algNone = credential{
		name: `an unsigned system token, {"alg":"none"}`,
		mint: func(c Config, now time.Time) (string, error) {
			return token.Unsigned(token.Claims{Domain: c.Network, UserID: token.SystemUser,
				DisplayName: token.SystemUser, Expires: float64(now.Add(token.DefaultTTL).Unix())})
		},
		flags: func(c Config) string { return networkFlags(c.Network) + " --alg none" },
	}
)

// refusals are the credentials an endpoint must refuse, each with the
// spec that checks it.
var refusals = []struct {
	spec string
	cred credential
}{
	{"P4P-AUTH-001", noToken},
	{"P4P-AUTH-002", badSignature},
	{"P4P-AUTH-003", otherDomain},
	{"P4P-AUTH-004", userToken},
	{"P4P-AUTH-005", expired},
	{"P4P-AUTH-006", algNone},
}

func networkFlags(network string) string {
	return fmt.Sprintf(`--network %s --key "$%s"`, network, keyVariable)
}

// mint returns a token of kind c, "" for noToken. Each kind is minted
// once per run and remembered as a secret.
func (e *Env) mint(c credential) (string, error) {
	if c.mint == nil {
		return "", nil
	}
	e.mintMu.Lock()
	defer e.mintMu.Unlock()
	if tok, ok := e.minted[c.name]; ok {
		return tok, nil
	}
	tok, err := c.mint(e.cfg, time.Now())
	if err != nil {
		return "", fmt.Errorf("mint %s: %w", c.name, err)
	}
	e.minted[c.name] = tok
	e.secrets.add(tok, "$(p4p token "+c.flags(e.cfg)+")")
	return tok, nil
}
