package profile

import (
	"encoding/json"
	"strconv"
	"strings"
)

// pointer is the JSON pointer (RFC 6901) of a value, from its path's
// segments, with long keys and long paths cut short for messages.
func pointer(segments []string) string {
	var b strings.Builder
	for _, s := range segments {
		b.WriteByte('/')
		s = clip(s, maxShown)
		for i := 0; i < len(s); i++ {
			switch s[i] {
			case '~':
				b.WriteString("~0")
			case '/':
				b.WriteString("~1")
			default:
				b.WriteByte(s[i])
			}
		}
	}
	return clip(b.String(), maxPath)
}

// lookup finds the value at a path in a decoded document, or nil.
func lookup(v any, segments []string) any {
	for _, s := range segments {
		switch c := v.(type) {
		case map[string]any:
			v = c[s]
		case []any:
			i, err := strconv.Atoi(s)
			if err != nil || i < 0 || i >= len(c) {
				return nil
			}
			v = c[i]
		default:
			return nil
		}
	}
	return v
}

// describe names a decoded value for a message, with at most maxShown bytes
// of it: `string "abc"`, `number 12`, `an object`.
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean " + strconv.FormatBool(v)
	case string:
		return "string " + quote(v)
	case json.Number:
		return "number " + clip(string(v), maxShown)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return "a value"
}

// show writes a decoded scalar as in JSON, cut short: "abc", 12, true.
func show(v any) string {
	switch v := v.(type) {
	case string:
		return quote(v)
	case json.Number:
		return clip(string(v), maxShown)
	case bool:
		return strconv.FormatBool(v)
	case nil:
		return "null"
	}
	return describe(v)
}
