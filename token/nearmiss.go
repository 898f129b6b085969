package token

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash"
	"strings"
	"time"

	"p4p"
)

// The rules of a valid system token (spec 2.4), which near misses break
// one at a time.
const (
	RuleAlg       = "alg"       // the header's alg is HS256
	RuleSignature = "signature" // HMAC-SHA256 with the network key, as raw bytes (spec 2.2)
	RuleDomain    = "domain"    // domain equals the full network name
	RuleUserID    = "user_id"   // user_id equals "system"
	RuleExpires   = "expires"   // expires, Unix seconds, is not past
)

// ClockSkew is how far past its expires a near miss's token is at least,
// when it is "a few minutes" past: more than an honest server's clock is
// off (NTP keeps them within seconds), so that refusing it asks no more
// than the SDKs' exact "expires >= now" (spec 2.4) does of a sane clock.
const ClockSkew = 5 * time.Minute

// NearMiss is a token that breaks one rule of spec 2.4 in a way a real
// implementation gets wrong, and is right in every other respect.
type NearMiss struct {
	Rule  string // one of the Rule* constants
	Name  string // what is wrong, e.g. `domain in upper case`
	Token string
	// SDKAccepts says that the official Node SDK's validateLivefyreToken
	// (npm livefyre 2.0.9, the reference validator of spec 2.4) accepts
	// the token: its JWT library allows every HMAC algorithm, and
	// JavaScript's == equates ["system"] with "system" and a numeric
	// string with a number. Refusing such a token is right; accepting it
	// is a deviation from the documented contract at most, never a
	// failure. Every other near miss must be refused.
	SDKAccepts bool
}

// nearMissRule makes the near misses of one rule from the valid header
// and payload. Each returns its own copies.
type nearMissRule struct {
	rule   string
	misses func(g *generator) []NearMiss
}

// nearMissRules are the rules of spec 2.4 and how each is missed. A new
// rule added here gets its near misses, its fuzzing and its check against
// the SDK with no other change.
var nearMissRules = []nearMissRule{
	{RuleAlg, (*generator).algMisses},
	{RuleSignature, (*generator).signatureMisses},
	{RuleDomain, func(g *generator) []NearMiss {
		return g.stringClaimMisses(RuleDomain, g.network, neighbours(g.network))
	}},
	{RuleUserID, func(g *generator) []NearMiss { return g.stringClaimMisses(RuleUserID, SystemUser, []string{"u-1001"}) }},
	{RuleExpires, (*generator).expiresMisses},
}

// NearMisses makes the near misses of every rule of spec 2.4 for a system
// token of network signed with key, valid at now but for what each
// breaks: for each rule, the family a real implementation gets wrong (a
// claim missing, of another JSON type, in another case, a prefix, suffix
// or superstring of the right value, a neighbouring network; expires a
// few minutes or long past, absent or not a number; every alg but HS256,
// in any case, absent or empty; the signature empty, truncated, or made
// with another key, the empty key or a prefix of the key).
func NearMisses(network, key string, now time.Time) ([]NearMiss, error) {
	if err := checkGenerator(network, key); err != nil {
		return nil, err
	}
	g := &generator{network: network, key: key, now: now}
	var out []NearMiss
	for _, r := range nearMissRules {
		ms := r.misses(g)
		for i := range ms {
			ms[i].Rule = r.rule
		}
		out = append(out, ms...)
	}
	if g.err != nil {
		return nil, g.err
	}
	return out, nil
}

// checkGenerator refuses what no network has: a network name outside
// spec 3.1, an empty key, or a key with NUL bytes, which HMAC pads a key
// with, so that such a key signs as a shorter one.
func checkGenerator(network, key string) error {
	if err := p4p.Network(network).Validate(); err != nil {
		return fmt.Errorf("near misses: %w", err)
	}
	if key == "" || strings.ContainsRune(key, 0) {
		return fmt.Errorf("near misses: want a network key without NUL bytes")
	}
	return nil
}

// generator builds near misses of one valid system token.
type generator struct {
	network, key string
	now          time.Time
	err          error
}

// header and payload are the valid token's, as fresh maps.
func (g *generator) header() map[string]any { return map[string]any{"alg": "HS256", "typ": "JWT"} }

func (g *generator) payload() map[string]any {
	return map[string]any{"domain": g.network, "user_id": SystemUser, "display_name": SystemUser,
		"expires": g.now.Add(DefaultTTL).Unix()}
}

// sign encodes header and payload and signs them with hash h and key; a
// nil h leaves the signature empty.
func (g *generator) sign(header, payload map[string]any, h func() hash.Hash, key string) string {
	hb, err := json.Marshal(header)
	if err == nil {
		var pb []byte
		pb, err = json.Marshal(payload)
		if err == nil {
			signed := segment(hb) + "." + segment(pb)
			if h == nil {
				return signed + "."
			}
			mac := hmac.New(h, []byte(key))
			mac.Write([]byte(signed))
			return signed + "." + segment(mac.Sum(nil))
		}
	}
	g.err = fmt.Errorf("near misses: %w", err)
	return ""
}

// withClaim is the valid token with one claim set, or removed when v is
// absent.
func (g *generator) withClaim(claim string, v any) string {
	p := g.payload()
	if v == absent {
		delete(p, claim)
	} else {
		p[claim] = v
	}
	return g.sign(g.header(), p, sha256.New, g.key)
}

// absent stands for a claim or header field left out.
var absent = &struct{}{}

func (g *generator) algMisses() []NearMiss {
	withAlg := func(alg any, h func() hash.Hash) string {
		hd := g.header()
		if alg == absent {
			delete(hd, "alg")
		} else {
			hd["alg"] = alg
		}
		return g.sign(hd, g.payload(), h, g.key)
	}
	return []NearMiss{
		{Name: `alg "none", unsigned`, Token: withAlg("none", nil)},
		{Name: `alg "None", unsigned`, Token: withAlg("None", nil)},
		{Name: `alg "NONE", unsigned`, Token: withAlg("NONE", nil)},
		{Name: `alg "none", with a valid HS256 signature`, Token: withAlg("none", sha256.New)},
		{Name: "alg absent", Token: withAlg(absent, sha256.New)},
		{Name: `alg ""`, Token: withAlg("", sha256.New)},
		{Name: `alg "hs256" (lower case)`, Token: withAlg("hs256", sha256.New)},
		{Name: `alg "Hs256"`, Token: withAlg("Hs256", sha256.New)},
		{Name: "alg HS256 as a list", Token: withAlg([]string{"HS256"}, sha256.New)},
		{Name: `alg "RS256" with an HMAC signature`, Token: withAlg("RS256", sha256.New)},
		{Name: `alg "ES256" with an HMAC signature`, Token: withAlg("ES256", sha256.New)},
		{Name: `alg "HS384", signed with the key`, Token: withAlg("HS384", sha512.New384), SDKAccepts: true},
		{Name: `alg "HS512", signed with the key`, Token: withAlg("HS512", sha512.New), SDKAccepts: true},
		{Name: `alg "HS384" over an HS256 signature`, Token: withAlg("HS384", sha256.New)},
	}
}

func (g *generator) signatureMisses() []NearMiss {
	valid := g.sign(g.header(), g.payload(), sha256.New, g.key)
	i := strings.LastIndexByte(valid, '.')
	body, sig := valid[:i], valid[i+1:]
	ms := []NearMiss{
		{Name: "signature empty", Token: body + "."},
		{Name: "signature truncated by one character", Token: body + "." + sig[:len(sig)-1]},
		{Name: "signature truncated to half", Token: body + "." + sig[:len(sig)/2]},
		{Name: "signature of another token", Token: body + "." + flipped(sig)},
		{Name: "signed with another key", Token: g.sign(g.header(), g.payload(), sha256.New, g.key+"-not")},
		{Name: "signed with the empty key", Token: g.sign(g.header(), g.payload(), sha256.New, "")},
		{Name: "signed with the key base64-decoded", Token: g.sign(g.header(), g.payload(), sha256.New, decodedKey(g.key))},
	}
	// A prefix shorter than the 32 bytes the Java SDK signs with (spec
	// 2.2, 6.22), which signs as the whole key when the key is longer.
	if n := min(len(g.key), javaKeyLength) - 1; n > 0 {
		ms = append(ms, NearMiss{Name: "signed with a prefix of the key", Token: g.sign(g.header(), g.payload(), sha256.New, g.key[:n])})
	}
	return ms
}

// stringClaimMisses are the near misses of a claim whose value must equal
// want: missing, of another JSON type, in another case, a prefix, suffix
// or superstring of want, and others. An array holding want alone is
// what JavaScript's == equates with want.
func (g *generator) stringClaimMisses(claim, want string, others []string) []NearMiss {
	ms := []NearMiss{
		{Name: claim + " absent", Token: g.withClaim(claim, absent)},
		{Name: claim + " null", Token: g.withClaim(claim, nil)},
		{Name: claim + " empty", Token: g.withClaim(claim, "")},
		{Name: claim + " a number", Token: g.withClaim(claim, 1)},
		{Name: claim + " true", Token: g.withClaim(claim, true)},
		{Name: claim + " an object", Token: g.withClaim(claim, map[string]string{claim: want})},
		{Name: claim + " a list holding the right value", Token: g.withClaim(claim, []string{want}), SDKAccepts: true},
	}
	seen := map[string]bool{want: true}
	add := func(name, v string) {
		if v == "" || seen[v] {
			return
		}
		seen[v] = true
		ms = append(ms, NearMiss{Name: fmt.Sprintf("%s %q (%s)", claim, v, name), Token: g.withClaim(claim, v)})
	}
	add("upper case", strings.ToUpper(want))
	add("title case", strings.ToUpper(want[:1])+want[1:])
	add("a prefix", want[:len(want)-1])
	add("a suffix", want[1:])
	add("a superstring", want+"x")
	add("a superstring", "x"+want)
	add("with a trailing space", want+" ")
	add("with a trailing NUL", want+"\x00")
	for _, o := range others {
		add("another value", o)
	}
	return ms
}

func (g *generator) expiresMisses() []NearMiss {
	now := g.now.Unix()
	return []NearMiss{
		{Name: fmt.Sprintf("expires %s past", ClockSkew), Token: g.withClaim(RuleExpires, g.now.Add(-ClockSkew).Unix())},
		{Name: "expires a day past", Token: g.withClaim(RuleExpires, now-86400)},
		{Name: "expires 0", Token: g.withClaim(RuleExpires, 0)},
		{Name: "expires negative", Token: g.withClaim(RuleExpires, -1)},
		{Name: "expires absent", Token: g.withClaim(RuleExpires, absent)},
		{Name: "expires null", Token: g.withClaim(RuleExpires, nil)},
		{Name: "expires true", Token: g.withClaim(RuleExpires, true)},
		{Name: `expires "soon", not a number`, Token: g.withClaim(RuleExpires, "soon")},
		{Name: "expires a future time as a numeric string", Token: g.withClaim(RuleExpires, fmt.Sprint(now+86400)), SDKAccepts: true},
		{Name: "expiration instead of expires (V2's sample, spec 6.19)", Token: g.withClaimRenamed(RuleExpires, "expiration")},
		{Name: "exp instead of expires", Token: g.withClaimRenamed(RuleExpires, "exp")},
	}
}

// withClaimRenamed is the valid token with a claim under another name.
func (g *generator) withClaimRenamed(claim, name string) string {
	p := g.payload()
	p[name] = p[claim]
	delete(p, claim)
	return g.sign(g.header(), p, sha256.New, g.key)
}

// neighbours are network names a loose comparison takes for network:
// another network of the same suffix, and the name's first label alone.
func neighbours(network string) []string {
	name, rest, _ := strings.Cut(network, ".")
	return []string{name + "2." + rest, "other." + rest, name, "www." + network}
}

// flipped is sig with its first character changed, still base64url.
func flipped(sig string) string {
	if sig == "" {
		return "A"
	}
	c := byte('A')
	if sig[0] == 'A' {
		c = 'B'
	}
	return string(c) + sig[1:]
}

// decodedKey is the key base64-decoded, as only the legacy tokens used it
// (spec 2.2); a key that is not base64 gives another key all the same.
func decodedKey(key string) string {
	if b, err := base64.StdEncoding.DecodeString(key); err == nil && len(b) > 0 {
		return string(b)
	}
	return key + "=="
}

// segment encodes one part of a JWT.
func segment(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// ValidForm is a valid system token in one of the forms Livefyre's
// sources show (spec 2.1, 2.3, 2.4, 6.19).
type ValidForm struct {
	Name  string
	Token string
	// SDKBuilt says that an official SDK builds this form, so that an
	// endpoint refusing it breaks the sync; the other forms appear in
	// Livefyre's material (the EL sample's header without typ, a token
	// without display_name) and spec 2.4's "check nothing else" admits
	// them, but Livefyre's own pull token may never have taken them:
	// refusing one is a deviation.
	SDKBuilt bool
}

// ValidForms are the forms of a valid system token of network, signed
// with key and valid at now, that an endpoint must, or should, accept.
func ValidForms(network, key string, now time.Time) ([]ValidForm, error) {
	if err := checkGenerator(network, key); err != nil {
		return nil, err
	}
	g := &generator{network: network, key: key, now: now}
	exp := now.Add(DefaultTTL)
	withPayload := func(change func(map[string]any)) string {
		p := g.payload()
		change(p)
		return g.sign(g.header(), p, sha256.New, key)
	}
	forms := []ValidForm{
		{Name: "integer expires, as the Python, Java, PHP and Ruby SDKs build it", SDKBuilt: true,
			Token: withPayload(func(map[string]any) {})},
		{Name: "float expires and an iat, as the Node SDK builds it", SDKBuilt: true, Token: withPayload(func(p map[string]any) {
			p["expires"] = float64(exp.UnixMilli())/1000 + 0.123
			p["iat"] = now.Unix()
		})},
		{Name: `a header without typ, {"alg":"HS256"}, as the EL sample token`,
			Token: g.sign(map[string]any{"alg": "HS256"}, g.payload(), sha256.New, key)},
		{Name: "no display_name, as a labs token of Livefyre's", Token: withPayload(func(p map[string]any) { delete(p, "display_name") })},
		{Name: "an exp claim beside expires, which the SDKs ignore", Token: withPayload(func(p map[string]any) { p["exp"] = exp.Unix() })},
	}
	return forms, g.err
}
