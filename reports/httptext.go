package reports

import (
	"net/http"
	"slices"
	"strconv"
)

// headerLines renders a header as "Name: value" lines, names sorted and
// each value of a repeated header on its own line.
func headerLines(h map[string][]string) []string {
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	slices.Sort(names)
	var lines []string
	for _, name := range names {
		for _, v := range h[name] {
			lines = append(lines, name+": "+v)
		}
	}
	return lines
}

// statusLine renders a status code with its reason phrase when it has
// one: "403 Forbidden", "299".
func statusLine(code int) string {
	if text := http.StatusText(code); text != "" {
		return strconv.Itoa(code) + " " + text
	}
	return strconv.Itoa(code)
}
