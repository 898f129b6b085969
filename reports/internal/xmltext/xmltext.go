// Package xmltext makes text safe to put in an XML document: the JUnit
// reports and the SVG charts both hold text from outside (a response, an
// endpoint's name) that XML 1.0 may not allow.
package xmltext

import "strings"

// Safe replaces every character XML 1.0 does not allow, and every byte of
// invalid UTF-8, with U+FFFD.
func Safe(s string) string {
	return strings.Map(func(r rune) rune {
		if xmlChar(r) {
			return r
		}
		return '\uFFFD'
	}, s)
}

// xmlChar reports whether XML 1.0's Char production allows r.
func xmlChar(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20:
		return false
	case r <= 0xD7FF:
		return true
	case r >= 0xE000 && r <= 0xFFFD:
		return true
	}
	return r >= 0x10000 && r <= 0x10FFFF
}
