package reports

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// oneLine makes s safe to print as one line of a terminal report: line
// breaks and tabs become spaces, other control characters are shown
// escaped (so a response cannot move the cursor or recolour the
// terminal) and invalid UTF-8 becomes U+FFFD.
func oneLine(s string) string {
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ").Replace(s)
	return showControls(s)
}

// block is oneLine for text that may span lines: it keeps line breaks
// (CRLF becomes LF) and tabs.
func block(s string) string {
	return showControls(strings.ReplaceAll(s, "\r\n", "\n"))
}

// showControls escapes every control character but LF and tab, and
// replaces invalid UTF-8 with U+FFFD.
func showControls(s string) string {
	if !strings.ContainsFunc(s, isHiddenControl) && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case isHiddenControl(r) && r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case isHiddenControl(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r) // RuneError for invalid UTF-8 writes U+FFFD
		}
	}
	return b.String()
}

// isHiddenControl reports whether r is a C0 or C1 control character
// other than LF and tab, or DEL.
func isHiddenControl(r rune) bool {
	if r == '\n' || r == '\t' {
		return false
	}
	return r < 0x20 || (r >= 0x7f && r < 0xa0)
}

// indent prefixes every line of s with prefix.
func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return prefix + strings.Join(lines, "\n"+prefix) + "\n"
}

// OneLine is s made safe to print as one line of a terminal: line breaks
// and tabs become spaces, other control characters are shown escaped and
// invalid UTF-8 becomes U+FFFD.
func OneLine(s string) string { return oneLine(s) }
