package profile

import (
	"encoding/json"
	"strconv"

	"p4p"
)

// pointer is the JSON pointer (RFC 6901) of a value, from its path's
// segments, with long keys and long paths cut short for messages.
func pointer(segments []string) string {
	clipped := make([]string, len(segments))
	for i, s := range segments {
		clipped[i] = clip(s, maxShown)
	}
	return clip(p4p.Pointer(clipped...), maxPath)
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
