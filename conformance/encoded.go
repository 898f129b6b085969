package conformance

import (
	"encoding/base64"
	"regexp"
	"strings"
)

// base64Run matches a run of base64 or base64url text long enough to
// carry a token's signature: where a response may hide an lftoken in
// another encoding (a cookie, a debug header, a body field).
var base64Run = regexp.MustCompile(`[A-Za-z0-9+/_-]{16,}={0,2}`)

// decodedRuns are the runs of base64 or base64url in s that decode, as
// text, standard or URL-safe, padded or not.
func decodedRuns(s string) []string {
	var out []string
	for _, run := range base64Run.FindAllString(s, -1) {
		if d, ok := decodeBase64(run); ok {
			out = append(out, d)
		}
	}
	return out
}

// decodeBase64 decodes run as standard or URL-safe base64, padded or not.
func decodeBase64(run string) (string, bool) {
	trimmed := strings.TrimRight(run, "=")
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(trimmed); err == nil {
			return string(b), true
		}
	}
	return "", false
}
