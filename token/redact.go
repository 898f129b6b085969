package token

import (
	"fmt"
	"strings"
)

// redactPrefix is how much of a JWT's header Redact keeps: enough to show
// it is a JWT ("eyJhbGciOi" is {"alg":), too little to say anything else.
const redactPrefix = 10

// Redact returns a form of tok safe for logs and reports: its length and,
// when it looks like a JWT, the first characters of its header; never its
// claims, its signature or the whole token. Redact("") is "".
func Redact(tok string) string {
	if tok == "" {
		return ""
	}
	header, _, _ := strings.Cut(tok, ".")
	if strings.Count(tok, ".") == 2 && strings.HasPrefix(header, "eyJ") && len(header) > redactPrefix {
		return fmt.Sprintf("%s…[redacted %d-byte token]", header[:redactPrefix], len(tok))
	}
	return fmt.Sprintf("[redacted %d-byte token]", len(tok))
}
