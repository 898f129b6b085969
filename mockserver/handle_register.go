package mockserver

import (
	"net/http"
	"net/url"
	"strings"
)

// maxTemplateLength bounds a registered Pull URL.
const maxTemplateLength = 2048

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
	s.log.Info("pull URL registered", "template", template)
	w.WriteHeader(http.StatusNoContent)
}

// idMarker stands in for {id} while a template is parsed.
const idMarker = "p4p-id-marker"

// checkTemplate enforces what every SDK enforces, the literal {id} (spec
// 1.3), and that the URL is one the mock can call. {id} must stand in the
// path or the query, as in every documented template (spec 1.3: ?id={id};
// 5.4: /livefyre/{id}/pull): in the host or the user info it would let a
// user id choose which host Livefyre calls, and in the fragment it would
// never be sent.
func checkTemplate(t string, allowHosts []string) error {
	switch {
	case t == "":
		return errorf(EInvalid, "pull_profile_url missing")
	case len(t) > maxTemplateLength:
		return errorf(EInvalid, "pull_profile_url longer than %d bytes", maxTemplateLength)
	case !strings.Contains(t, "{id}"):
		return errorf(EInvalid, "pull_profile_url must contain {id}, which Livefyre replaces with the user id (spec 1.3)")
	}
	u, err := url.Parse(strings.ReplaceAll(t, "{id}", idMarker))
	switch {
	case err != nil:
		return errorf(EInvalid, "pull_profile_url is not a URL: %v", err)
	case u.Scheme != "http" && u.Scheme != "https":
		return errorf(EInvalid, "pull_profile_url must be an http or https URL, not %q", u.Scheme)
	case u.Host == "":
		return errorf(EInvalid, "pull_profile_url has no host")
	case strings.Contains(u.Host, idMarker) || u.User != nil && strings.Contains(u.User.String(), idMarker) ||
		strings.Contains(u.Fragment, idMarker):
		return errorf(EInvalid, "pull_profile_url must have {id} in its path or query, not its host, user info or fragment")
	case !hostAllowed(u, allowHosts):
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
