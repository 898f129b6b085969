package mockserver

import (
	"net/http"
	"net/url"
	"strings"

	"p4p"
)

// handleRegister sets the network's Pull URL (spec 1.3, 3.2):
// POST / with actor_token and pull_profile_url in the query or the body;
// 204 with no body.
func (s *Server) handleRegister(w http.ResponseWriter, r *http.Request) {
	if !allow(w, r, http.MethodPost) {
		return
	}
	p, err := s.readParams(w, r)
	if err == nil {
		err = s.authorize(p, "actor_token", "lftoken")
	}
	if err != nil {
		respondError(w, err)
		return
	}
	// The C# SDK's work in progress names the parameter pull_profile
	// (spec 3.2, 6.3); accept it too.
	template := p.get("pull_profile_url", "pull_profile")
	if template == "" && p.get("push_affiliation_url") != "" {
		// V2 lets the same call set only the affiliation push URL, which
		// the mock does not use (spec 4).
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if err := checkTemplate(template, s.cfg.AllowHosts); err != nil {
		respondError(w, err)
		return
	}
	if err := s.store.setTemplate(r.Context(), template); err != nil {
		s.log.Error("register", "err", err)
		respondError(w, errorf(EUnavailable, "could not store the Pull URL; try again"))
		return
	}
	s.log.Info("pull URL registered", "template", p4p.Template(template).Redacted())
	w.WriteHeader(http.StatusNoContent)
}

// checkTemplate enforces what Livefyre's registration enforces,
// p4p.Template's rule with the literal {id} (spec 1.3, 6.9), and this
// mock's allowed hosts.
func checkTemplate(t string, allowHosts []string) error {
	if t == "" {
		return errorf(EInvalid, "pull_profile_url missing")
	}
	if err := p4p.Template(t).Registrable(); err != nil {
		return errorf(EInvalid, "pull_profile_url: %v", err)
	}
	u, _ := url.Parse(p4p.Template(t).Fill("id"))
	if !hostAllowed(u, allowHosts) {
		return errorf(EInvalid, "pull_profile_url host %q is not in this mock's allowed hosts (--allow-hosts)", u.Host)
	}
	return nil
}

// hostAllowed says whether u's host is in allow; an empty list allows any.
func hostAllowed(u *url.URL, allow []string) bool {
	if len(allow) == 0 {
		return true
	}
	for _, h := range allow {
		if strings.EqualFold(h, u.Host) || strings.EqualFold(h, u.Hostname()) {
			return true
		}
	}
	return false
}
