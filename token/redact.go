package token

import (
	"fmt"
	"strings"
)

// Redact returns a form of tok safe for logs and reports: its length, and
// for something shaped like a JWT the first characters of its header
// (which says only the algorithm), never the claims or the signature.
func Redact(tok string) string {
	if tok == "" {
		return ""
	}
	if header, _, ok := strings.Cut(tok, "."); ok && strings.Count(tok, ".") == 2 {
		return fmt.Sprintf("%s…[redacted %d-byte token]", header[:min(len(header), 10)], len(tok))
	}
	return fmt.Sprintf("[redacted %d-byte token]", len(tok))
}
