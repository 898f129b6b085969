package refapp

import (
	"bytes"
	"strconv"
)

// VaryField is the top-level field Config.VaryBodies adds to every
// profile served: a number new on every pull. Livefyre ignores unknown
// fields (spec 6.15), so the profile stays valid.
const VaryField = "p4p_pull"

// varied is body with VaryField set to the next number: a body no pull
// served before, for load benchmarks in which nothing may be remembered.
// It splices the field in before the closing brace, without re-encoding.
func (s *Server) varied(body []byte) []byte {
	end := bytes.LastIndexByte(body, '}')
	if end < 0 {
		return body
	}
	out := make([]byte, 0, len(body)+len(VaryField)+24)
	out = append(out, body[:end]...)
	if trimmed := bytes.TrimRight(out, " \t\r\n"); trimmed[len(trimmed)-1] != '{' {
		out = append(out, ',')
	}
	out = append(out, `"`+VaryField+`":`...)
	out = strconv.AppendUint(out, s.pulls.Add(1), 10)
	return append(out, body[end:]...)
}
