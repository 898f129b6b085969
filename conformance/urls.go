package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// urlFields are the profile's fields that hold one URL (spec 1.6);
// websites holds a list of them.
var urlFields = []string{"image_url", "profile_url", "settings_url"}

// localSuffixes are the DNS names only a local network resolves.
var localSuffixes = []string{".localhost", ".local", ".internal", ".lan", ".home.arpa", ".intranet", ".corp"}

// fetchableURLs pulls every user and names each URL field that no server
// on the internet could load: a loopback, private or link-local address,
// localhost, a local-network name or a single-label host. Livefyre loads
// image_url to scale the avatar, and "all URLs must be fully qualified and
// reachable" (spec 1.6). Whether a URL is well formed at all is
// P4P-RESP-004's business.
func fetchableURLs(ctx context.Context, p *Probe) error {
	users, err := pullEach(ctx, p)
	if err != nil {
		return err
	}
	var wrong []string
	for _, u := range users {
		var obj map[string]any
		if json.Unmarshal(u.body, &obj) != nil {
			return skip("the body of %q is not a JSON object; see P4P-RESP-002", u.id)
		}
		before := len(wrong)
		for _, f := range urlFields {
			if s, ok := obj[f].(string); ok {
				wrong = appendUnreachable(wrong, fmt.Sprintf("%s of %q", f, u.id), s)
			}
		}
		if sites, ok := obj["websites"].([]any); ok {
			for i, v := range sites {
				if s, ok := v.(string); ok {
					wrong = appendUnreachable(wrong, fmt.Sprintf("websites[%d] of %q", i, u.id), s)
				}
			}
		}
		if len(wrong) > before {
			p.blame(u.title)
		}
	}
	if len(wrong) > 0 {
		return fmt.Errorf("no server of Livefyre's could load these URLs: %s", strings.Join(wrong, "; "))
	}
	return nil
}

func appendUnreachable(wrong []string, what, raw string) []string {
	if why := unreachable(raw); why != "" {
		return append(wrong, fmt.Sprintf("%s, %s, %s", what, clip(raw), why))
	}
	return wrong
}

// unreachable says why no server on the internet could load the URL raw,
// or "" when one could, or when raw is not an http(s) URL with a host.
func unreachable(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if ip := net.ParseIP(host); ip != nil {
		switch {
		case ip.IsLoopback():
			return "names a loopback address"
		case ip.IsPrivate():
			return "names a private address"
		case ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast():
			return "names a link-local address"
		case ip.IsUnspecified():
			return "names the unspecified address"
		}
		return ""
	}
	if host == "localhost" {
		return "names localhost"
	}
	for _, s := range localSuffixes {
		if strings.HasSuffix(host, s) {
			return "names a host only a local network resolves (" + s + ")"
		}
	}
	if !strings.Contains(host, ".") {
		return "names a single-label host, which only a local network resolves"
	}
	return ""
}
