package mockserver

import (
	"encoding/base64"
	"errors"
	"strings"
)

// decodeB64 decodes s, unpadded base64url, as the mock writes its
// cursors and session cookies, in that one spelling only: Strict refuses
// set padding bits, and the carriage returns and line feeds the decoder
// would otherwise skip are refused here, so that no value is accepted
// under a second spelling.
func decodeB64(s string) ([]byte, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, errors.New("line break in base64")
	}
	return base64.RawURLEncoding.Strict().DecodeString(s)
}
