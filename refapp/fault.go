package refapp

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Fault is a deliberate mistake the Server makes, so that the conformance
// suite can show that each of its specs fails when the requirement it
// checks is broken. A Fault breaks exactly one requirement; everything else
// stays as the correct reference endpoint does it. The zero value, "", is
// no fault.
type Fault string

// The faults, by the requirement each one breaks.
const (
	FaultNoAuth             Fault = "no-auth"
	FaultNoSignatureCheck   Fault = "no-signature-check"
	FaultAnyDomain          Fault = "any-domain"
	FaultAnyUser            Fault = "any-user"
	FaultNoExpiryCheck      Fault = "no-expiry-check"
	FaultAlgNone            Fault = "alg-none"
	FaultLooseClaims        Fault = "loose-claims"
	FaultForbiddenBody      Fault = "forbidden-body"
	FaultForbiddenProfile   Fault = "forbidden-profile"
	FaultBadRequest         Fault = "bad-request"
	FaultTrustConnection    Fault = "trust-connection"
	FaultRequireTyp         Fault = "require-typ"
	FaultRequireIAT         Fault = "require-iat"
	FaultIntegerExpiresOnly Fault = "integer-expires-only"
	FaultTextHTML           Fault = "text-html"
	FaultJSONP              Fault = "jsonp"
	FaultNoDisplayName      Fault = "no-display-name"
	FaultBadTags            Fault = "bad-tags"
	FaultNormalizedID       Fault = "normalized-id"
	FaultExtraFields        Fault = "extra-fields"
	FaultLocalURLs          Fault = "local-urls"
	FaultUnknown200         Fault = "unknown-200"
	FaultSamePerson         Fault = "same-person"
	FaultUnknown503         Fault = "unknown-503"
	FaultDottedIDs          Fault = "dotted-ids"
	FaultEncodedTemplate    Fault = "encoded-template"
	FaultUnstableProfile    Fault = "unstable-profile"
	FaultStaleCache         Fault = "stale-cache"
	FaultSlow               Fault = "slow"
	FaultPlainHTTP          Fault = "plain-http"
	FaultEchoToken          Fault = "echo-token"
	FaultEchoTokenEncoded   Fault = "echo-token-encoded"
	FaultHookNoPing         Fault = "hook-no-ping"
	FaultFirstChangeOnly    Fault = "first-change-only"
	FaultSharedUpdate       Fault = "shared-update"
	FaultStaleUserToken     Fault = "stale-user-token"
)

// DefaultFaultDelay is how long FaultSlow holds each pull when
// Config.FaultDelay is zero.
const DefaultFaultDelay = 2 * time.Second

// FaultDelayBeyond is the Config.FaultDelay with which FaultSlow breaks a
// latency budget: each pull waits two and a half budgets, so that even
// the fastest pull of a burst is plainly over it. A zero budget gives
// zero, which Config reads as DefaultFaultDelay.
func FaultDelayBeyond(budget time.Duration) time.Duration {
	return 2*budget + budget/2
}

// FaultStaleTTL is how long FaultStaleCache keeps serving the body it
// cached for a user.
const FaultStaleTTL = time.Hour

// FaultInfo describes one fault.
type FaultInfo struct {
	Fault       Fault
	Description string // one sentence, in the integrator's terms
}

// faults is the one table of faults and what each one does.
var faults = map[Fault]string{
	FaultNoAuth:             "A pull without an lftoken is served, as when the token check only runs if a token is present.",
	FaultNoSignatureCheck:   "The token's claims are trusted without verifying its HS256 signature, as when a JWT is decoded instead of verified.",
	FaultAnyDomain:          "The token's domain claim is not compared with the network, so another network's token is accepted.",
	FaultAnyUser:            "The token's user_id is not checked, so any user's auth token can pull profiles, not only \"system\".",
	FaultNoExpiryCheck:      "The token's expires claim is not checked, so expired tokens keep working.",
	FaultAlgNone:            "A token whose header says alg \"none\" and that has no signature is accepted, the classic JWT library mistake.",
	FaultLooseClaims:        "The token's domain and user_id are compared without regard to case, so SYSTEM and LABS.FYRE.CO pass, as with a case-insensitive string comparison.",
	FaultForbiddenBody:      "Refusals are 403 with the body \"Forbidden\" as text/plain, as Express's res.sendStatus(403) sends, instead of an empty body.",
	FaultForbiddenProfile:   "A refused pull is answered 403, but the handler goes on and writes the profile into the body, as when the code sets the status and forgets to return.",
	FaultBadRequest:         "A pull without an lftoken is answered 400 with a text message, as the Financial Times' endpoint does, instead of 403; nothing is served.",
	FaultTrustConnection:    "A connection that brought one valid token is trusted from then on: later pulls on it are served without their token being checked, as when authorisation is kept per connection or session.",
	FaultRequireTyp:         "Tokens whose header has no typ \"JWT\" are refused, which rejects the EL sample's header {\"alg\":\"HS256\"} that validateLivefyreToken accepts.",
	FaultRequireIAT:         "Tokens without an iat claim are refused, which rejects the Python, PHP, Ruby and Java SDKs' tokens.",
	FaultIntegerExpiresOnly: "Tokens whose expires is not a whole number are refused, which rejects the Node SDK's tokens.",
	FaultTextHTML:           "Profiles are served as text/html, a framework's default, instead of application/json.",
	FaultJSONP:              "Profiles are wrapped as JSONP, callback(...);, as Express's res.jsonp can produce.",
	FaultNoDisplayName:      "Profiles are served without the required display_name.",
	FaultBadTags:            "Profiles carry the tag \"beta-tester\", whose hyphen Livefyre's tag rules forbid.",
	FaultNormalizedID:       "Profiles of ids containing '_' are served with each '_' changed to '-', so the id differs from the one asked for.",
	FaultExtraFields:        "Profiles also carry top-level first_name and last_name fields, as the Financial Times' endpoint does, which Livefyre ignores.",
	FaultLocalURLs:          "Profiles' image_url names http://localhost:8080, as a site configured with its development host serves them, which Livefyre's servers cannot load.",
	FaultUnknown200:         "An unknown user is answered 200 with a made-up \"Guest\" profile instead of 404.",
	FaultSamePerson:         "Every user is served the first user's profile under their own id, as an endpoint that reads the session's user instead of the requested one does: one person's data under every account.",
	FaultUnknown503:         "An unknown user is answered 503, as the Financial Times' endpoint did before it answered 404.",
	FaultDottedIDs:          "Ids containing '.' are answered 404, as web frameworks that strip a \".xxx\" format extension do.",
	FaultEncodedTemplate:    "The registered Pull URL has its braces percent-encoded, ?id=%7Bid%7D, as Go's url.URL.String writes it, so Livefyre never substitutes the id.",
	FaultUnstableProfile:    "Every pull adds a fresh cache-busting parameter to image_url, so an unchanged user's profile is never the same twice.",
	FaultStaleCache:         "Pulls serve a body cached for an hour, so changes announced by a ping are not served when Livefyre pulls.",
	FaultSlow:               "Every pull waits Config.FaultDelay (2 s by default) before it is answered.",
	FaultPlainHTTP:          "The Pull endpoint is served over plain HTTP even when TLS is asked for.",
	FaultEchoToken:          "Profiles are served with an X-Request-Uri header that echoes the request URI, lftoken included, leaking the token.",
	FaultEchoTokenEncoded:   "Profiles are served with a p4p_debug cookie holding the request URI, lftoken included, base64url-encoded, as a debugging middleware might: the token leaks in another encoding.",
	FaultHookNoPing:         "The update hook applies the change but never pings Livefyre, as a site whose pings come from elsewhere (or nowhere) does.",
	FaultFirstChangeOnly:    "The update hook keeps only the first change to each user, as an insert that ignores an existing row does, yet answers 200 and pings Livefyre for every later change as if it had been applied.",
	FaultStaleUserToken:     "The user-token endpoint (GET /token) keeps minting each user's tokens with the display name of the first token it issued them, as a cache of users' SSO claims that a profile change does not invalidate, so a user who logs in again still sees the old name.",
	FaultSharedUpdate:       "The update hook gives the new display name to every user, not only the one it names, as an UPDATE that lost its WHERE clause does, and pings Livefyre for the named user only.",
}

// Faults lists every fault with its description, sorted by name.
func Faults() []FaultInfo {
	out := make([]FaultInfo, 0, len(faults))
	for f, d := range faults {
		out = append(out, FaultInfo{Fault: f, Description: d})
	}
	slices.SortFunc(out, func(a, b FaultInfo) int { return cmp.Compare(a.Fault, b.Fault) })
	return out
}

// ParseFault returns the fault named s; "" is no fault.
func ParseFault(s string) (Fault, error) {
	f := Fault(s)
	if err := f.check(); err != nil {
		return "", err
	}
	return f, nil
}

// check reports an error unless f is "" or a known fault.
func (f Fault) check() error {
	if _, ok := faults[f]; ok || f == "" {
		return nil
	}
	names := make([]string, 0, len(faults))
	for _, fi := range Faults() {
		names = append(names, string(fi.Fault))
	}
	return fmt.Errorf("unknown fault %.40q; valid faults: %s", string(f), strings.Join(names, ", "))
}
