package conformance

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"p4p"
	"p4p/refapp"
)

func securitySpecs() []Spec {
	return []Spec{
		{
			ID: "P4P-SEC-001", Requirement: "The Pull URL uses https", Level: Should,
			Source: "spec 1.5, 2.2", Labels: []string{LabelSecurity},
			BrokenBy: refapp.FaultPlainHTTP, Check: httpsTemplate,
			Fix: "Serve the Pull endpoint over HTTPS and register the https:// URL: each pull carries a token signed with your network key and returns personal data.",
		},
		{
			ID: "P4P-SEC-002", Requirement: "No response echoes the lftoken back, in any header (cookies included) or body, as it is, URL-escaped, base64 or base64url, or its signature alone", Level: Must,
			Source: "spec 1.5, 2.2", Labels: []string{LabelSecurity}, Needs: needsValidPull,
			BrokenBy: refapp.FaultEchoToken, AlsoBrokenBy: []refapp.Fault{refapp.FaultEchoTokenEncoded}, Check: noTokenEcho,
			Fix: "Never copy the lftoken, or the request URL that carries it, into a response header or body in any form (debug headers and cookies, error pages, redirects, base64-encoded state).",
		},
	}
}

func httpsTemplate(ctx context.Context, p *Probe) error {
	u, err := url.Parse(p4p.Template(p.Config().PullURL).Fill("id"))
	if err != nil {
		return err
	}
	if u.Scheme != "https" {
		return fmt.Errorf("the Pull URL is %s://: Livefyre's system token and your users' profiles would cross the network in clear", u.Scheme)
	}
	return nil
}

// noTokenEcho looks for the token in a served, a refused and an unknown
// user's response, then for any token the run sent the endpoint in every
// response it got from it: each header (Location included, from redirects
// too) and each body.
func noTokenEcho(ctx context.Context, p *Probe) error {
	probes := []struct {
		id   string
		cred credential
	}{{p.Config().primary(), systemInteger}, {p.Config().primary(), badSignature}, {p.Config().UnknownUser, systemInteger}}
	for _, pr := range probes {
		r, err := p.pull(ctx, fmt.Sprintf("pull %q with %s", pr.id, pr.cred.name), pr.id, pr.cred)
		if err != nil {
			return err
		}
		tok, err := p.env.mint(pr.cred)
		if err != nil {
			return err
		}
		if where := echoes(r.header, r.body, []string{tok}); where != "" {
			return fmt.Errorf("the %s response to a pull of %q with %s echoes the lftoken in %s", statusText(r.status), pr.id, pr.cred.name, where)
		}
	}
	sent := p.env.sentTokens()
	responses := p.env.responses.all()
	for _, lr := range responses {
		if where := echoes(lr.header, lr.body, sent); where != "" {
			return fmt.Errorf("the %s echoes an lftoken the suite sent in %s", lr.from, where)
		}
	}
	p.Note("no lftoken in the %d responses of the run", len(responses))
	return nil
}

// sentTokens are the tokens the run has sent the endpoint.
func (e *Env) sentTokens() []string {
	e.mintMu.Lock()
	defer e.mintMu.Unlock()
	out := make([]string, 0, len(e.minted))
	for _, tok := range e.minted {
		out = append(out, tok)
	}
	return out
}

// echoes says where a response carries one of toks, plain or URL-escaped,
// or its signature, as it is or in base64 or base64url text (spec 1.5,
// 2.2: the token in any encoding is the token).
func echoes(header http.Header, body []byte, toks []string) string {
	var forms []string
	for _, tok := range toks {
		forms = append(forms, tokenForms(tok)...)
	}
	plain := func(s string) bool {
		for _, f := range forms {
			if f != "" && strings.Contains(s, f) {
				return true
			}
		}
		return false
	}
	// how says how s carries a token: "" for not at all.
	how := func(s string) string {
		if plain(s) {
			return " "
		}
		for _, d := range decodedRuns(s) {
			if plain(d) {
				return " (base64-encoded) "
			}
		}
		return ""
	}
	names := make([]string, 0, len(header))
	for k := range header {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if h := how(strings.Join(header[k], "\n")); h != "" {
			return strings.TrimSpace("the header " + k + h)
		}
	}
	if h := how(string(body)); h != "" {
		return strings.TrimSpace("the body" + h)
	}
	return ""
}
