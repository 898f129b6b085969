package conformance

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"

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
			ID: "P4P-SEC-002", Requirement: "No response echoes the lftoken back", Level: Must,
			Source: "spec 1.5, 2.2", Labels: []string{LabelSecurity}, Needs: needsValidPull,
			BrokenBy: refapp.FaultEchoToken, Check: noTokenEcho,
			Fix: "Never copy the lftoken, or the request URL that carries it, into a response header or body (debug headers, error pages, redirects).",
		},
	}
}

func httpsTemplate(ctx context.Context, p *Probe) error {
	u, err := url.Parse(idPlaceholder.ReplaceAllString(p.Config().PullURL, "id"))
	if err != nil {
		return err
	}
	if u.Scheme != "https" {
		return fmt.Errorf("the Pull URL is %s://: Livefyre's system token and your users' profiles would cross the network in clear", u.Scheme)
	}
	return nil
}

// noTokenEcho looks for the token in a served and a refused response.
func noTokenEcho(ctx context.Context, p *Probe) error {
	for _, c := range []credential{systemInteger, badSignature} {
		r, err := p.pull(ctx, "pull with "+c.name, p.Config().primary(), c)
		if err != nil {
			return err
		}
		tok, err := p.env.mint(c)
		if err != nil {
			return err
		}
		if where := echoes(r, tok); where != "" {
			return fmt.Errorf("the %s response to a pull with %s echoes the lftoken in %s", statusText(r.status), c.name, where)
		}
	}
	return nil
}

// echoes says where r carries tok, plain or URL-escaped, or its signature.
func echoes(r reply, tok string) string {
	forms := []string{tok, url.QueryEscape(tok)}
	if i := strings.LastIndexByte(tok, '.'); i > 0 && i < len(tok)-1 {
		forms = append(forms, tok[i+1:])
	}
	has := func(s string) bool {
		for _, f := range forms {
			if strings.Contains(s, f) {
				return true
			}
		}
		return false
	}
	names := make([]string, 0, len(r.header))
	for k := range r.header {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if has(strings.Join(r.header[k], "\n")) {
			return "the header " + k
		}
	}
	if has(string(r.body)) {
		return "the body"
	}
	return ""
}
