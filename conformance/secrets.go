package conformance

import (
	"p4p"

	"mime"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"

	"p4p/token"
)

// keyVariable is the environment variable the curl commands in reports
// read the network key from, so that no report holds it.
const keyVariable = "P4P_NETWORK_KEY"

// secrets knows every token the run minted, the key and the Pull URL's
// own secrets (p4p.Template.Secrets: user info, query values), to scrub
// them out of evidence and to write the curl commands that mint the
// tokens again.
type secrets struct {
	key     string
	pullURL []string

	mu     sync.Mutex
	shells map[string]string // token → the shell expression that mints an equivalent one
}

func newSecrets(key string, pullURL []string) *secrets {
	return &secrets{key: key, pullURL: pullURL, shells: make(map[string]string)}
}

// add remembers a minted token and how to mint it in a shell.
func (s *secrets) add(tok, shell string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shells[tok] = shell
}

// All is every secret the run has seen: the key, the Pull URL's and the
// tokens.
func (s *secrets) all() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := append([]string{s.key}, s.pullURL...)
	for tok := range s.shells {
		out = append(out, tok)
	}
	return out
}

// scrub replaces every token, in plain and URL-escaped form, with its
// redacted form, and the key with "[network key]"; base64 or base64url
// text that decodes to a text holding either becomes "[base64 of a
// secret]".
func (s *secrets) scrub(text string) string {
	if text == "" {
		return text
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	text = base64Run.ReplaceAllStringFunc(text, func(run string) string {
		if d, ok := decodeBase64(run); ok && s.holdsSecretLocked(d) {
			return "[base64 of a secret]"
		}
		return run
	})
	for tok := range s.shells {
		if strings.Contains(text, tok) {
			text = strings.ReplaceAll(text, tok, token.Redact(tok))
		}
		if esc := url.QueryEscape(tok); esc != tok && strings.Contains(text, esc) {
			text = strings.ReplaceAll(text, esc, url.QueryEscape(token.Redact(tok)))
		}
		// A signature alone is as good as the token for nobody, but it
		// identifies it; drop it too.
		if i := strings.LastIndexByte(tok, '.'); i > 0 && i < len(tok)-1 && strings.Contains(text, tok[i+1:]) {
			text = strings.ReplaceAll(text, tok[i+1:], "[signature]")
		}
	}
	if s.key != "" {
		text = strings.ReplaceAll(text, s.key, "[network key]")
	}
	for _, secret := range s.pullURL {
		text = strings.ReplaceAll(text, secret, p4p.Redacted)
	}
	return jwtShaped.ReplaceAllStringFunc(text, token.Redact)
}

// holdsSecretLocked says whether text holds a token the run minted, its
// signature, the key or one of the Pull URL's secrets; s.mu is held.
func (s *secrets) holdsSecretLocked(text string) bool {
	if s.key != "" && strings.Contains(text, s.key) {
		return true
	}
	for _, secret := range s.pullURL {
		if strings.Contains(text, secret) {
			return true
		}
	}
	for tok := range s.shells {
		for _, f := range tokenForms(tok) {
			if strings.Contains(text, f) {
				return true
			}
		}
	}
	return false
}

// tokenForms are the forms in which text may carry tok: as it is,
// URL-escaped, and its signature alone.
func tokenForms(tok string) []string {
	forms := []string{tok}
	if esc := url.QueryEscape(tok); esc != tok {
		forms = append(forms, esc)
	}
	if i := strings.LastIndexByte(tok, '.'); i > 0 && i < len(tok)-1 {
		forms = append(forms, tok[i+1:])
	}
	return forms
}

// jwtShaped matches what looks like a JWT: three base64url segments, the
// header a JSON object. scrub redacts these too, whoever minted them, in
// case a token reaches evidence without having been added (a site's own,
// one a response made up).
var jwtShaped = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`)

// shell is how to mint tok in a shell, or "" when the run did not mint it.
func (s *secrets) shell(tok string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.shells[tok]
}

// curl writes a command that repeats req, with every token the run minted
// replaced by the p4p token command that mints one like it.
func (s *secrets) curl(req *http.Request, insecure bool) string {
	var b strings.Builder
	b.WriteString("curl -sS -i")
	if insecure {
		b.WriteString(" -k")
	}
	u := *req.URL
	q := u.Query()
	var minted []string
	for _, name := range sortedKeys(q) {
		if sh := s.shell(q.Get(name)); sh != "" {
			minted = append(minted, name+"="+sh)
			q.Del(name)
		}
	}
	u.RawQuery = queryWithout(q, req.URL.RawQuery, minted)
	if req.Method == http.MethodGet && len(minted) > 0 {
		b.WriteString(" -G")
	} else if req.Method != http.MethodGet {
		b.WriteString(" -X " + req.Method)
	}
	b.WriteString(" " + shellQuote(u.String()))
	for _, m := range minted {
		b.WriteString(` --data-urlencode "` + m + `"`)
	}
	s.curlBody(&b, req)
	return s.scrub(b.String())
}

// formType is the Content-Type of a urlencoded form, which curl's
// --data-urlencode sends by default.
const formType = "application/x-www-form-urlencoded"

// curlBody writes the options that send req's body with its Content-Type:
// a form field by field, minted tokens as the command that mints them;
// any other body as it is.
func (s *secrets) curlBody(b *strings.Builder, req *http.Request) {
	body := requestBody(req)
	if body == "" {
		return
	}
	ct := req.Header.Get("Content-Type")
	if mt, _, _ := mime.ParseMediaType(ct); mt != formType {
		if ct != "" {
			b.WriteString(" -H " + shellQuote("Content-Type: "+ct))
		}
		b.WriteString(" --data-raw " + shellQuote(s.scrub(body)))
		return
	}
	if ct != formType {
		b.WriteString(" -H " + shellQuote("Content-Type: "+ct))
	}
	form, _ := url.ParseQuery(body)
	for _, name := range sortedKeys(form) {
		v := form.Get(name)
		if sh := s.shell(v); sh != "" {
			b.WriteString(` --data-urlencode "` + name + "=" + sh + `"`)
		} else {
			b.WriteString(" --data-urlencode " + shellQuote(name+"="+s.scrub(v)))
		}
	}
}

// queryWithout is the query without the minted tokens, re-encoded. When
// nothing was taken out it is the original, so that the command sends
// exactly what the suite sent, {id} escaping included.
func queryWithout(q url.Values, raw string, minted []string) string {
	if len(minted) == 0 {
		return raw
	}
	return q.Encode()
}

func sortedKeys(v url.Values) []string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
