package profile

import (
	"bytes"
	"slices"
	"unicode/utf16"
	"unicode/utf8"
)

// fastCheck is the pull-response schema (schemas/pull-response.schema.json)
// written out by hand for its one known shape: it decides, in one pass over
// the bytes and without building a map[string]any, whether body is a valid
// profile for wantID, and if so returns the same Document as the library
// path. It answers only what it is sure of: anything else (an invalid body,
// an escaped key, an object of many keys, the id of another user) returns
// false, and Check takes the library path, which builds the detailed *Error
// as before. So it may pass a body only the library passes.
//
// It must change with the schema: FuzzFastCheck and TestFastAgrees compare
// it with the library on the fuzz corpus and testdata, body for body, and
// fail on any drift between the two.
func fastCheck(body []byte, wantID string, maxDepth int) (*Document, bool) {
	doc, _ := fastScan(body, wantID, maxDepth)
	return doc, doc != nil
}

// fastScan is fastCheck, and says whether a body it did not pass was one
// it does not judge rather than one it found invalid.
func fastScan(body []byte, wantID string, maxDepth int) (doc *Document, unsure bool) {
	var keys [32][]byte
	s := scanner{cursor: cursor{b: body, compact: make([]byte, 0, len(body))}, maxDepth: maxDepth, keys: keys[:0]}
	s.space()
	if s.peek() != '{' || maxDepth < 1 {
		return nil, false
	}
	doc, ok := s.profile(wantID)
	if !ok {
		return nil, s.unsure
	}
	if s.space(); s.i != len(s.b) {
		return nil, false
	}
	doc.Raw = append(s.compact, s.b[s.last:]...)
	return doc, false
}

// maxFastKeys bounds the keys of one object the fast path checks for
// duplicates, one against another; a bigger object takes the library path.
const maxFastKeys = 64

// scanner is fastCheck's pass. Like parser, it leaves insignificant space
// out of compact and refuses duplicate keys and deep nesting; unlike it, it
// keeps no values but the few the schema constrains.
type scanner struct {
	cursor
	maxDepth int
	keys     [][]byte // the keys of the open objects, for duplicates
	// unsure is set when the scanner gave up on a body it does not
	// judge (an escaped key, too many keys in one object), not on one
	// it found invalid.
	unsure bool
}

// profile reads the top-level object, at s.i.
func (s *scanner) profile(wantID string) (*Document, bool) {
	doc := &Document{}
	var hasID, hasName bool
	ok := s.members(1, func(key []byte) bool {
		switch string(key) { // compared in place, not allocated
		case "id":
			doc.ID, hasID = s.nonEmpty()
			return hasID
		case "display_name":
			doc.DisplayName, hasName = s.nonEmpty()
			return hasName
		case "name":
			return s.object(2, func(key []byte) bool {
				switch string(key) {
				case "formatted", "first", "middle", "last":
					return s.skipString()
				}
				return s.value(2)
			})
		case "email", "location", "bio":
			return s.skipString()
		case "image_url", "profile_url", "settings_url":
			u, ok := s.str()
			return ok && (len(u) == 0 || isURL(u))
		case "tags":
			return s.array(2, func(int) bool {
				t, ok := s.str()
				return ok && isTag(t)
			})
		case "websites":
			return s.array(2, func(n int) bool {
				u, ok := s.str()
				return ok && n < 2 && isURL(u)
			})
		case "autofollow_conversations", "moderator", "gravatar_disabled":
			return s.boolean()
		case "email_notifications":
			return s.object(2, func(key []byte) bool {
				switch string(key) {
				case "comments", "replies", "likes", "moderator_comments", "moderator_flags":
					f, ok := s.str()
					return ok && (string(f) == "immediately" || string(f) == "often" || string(f) == "never")
				}
				return s.value(2)
			})
		case "display_rules":
			return s.object(2, func([]byte) bool { return s.boolean() })
		default:
			doc.Ignored = append(doc.Ignored, string(key))
			return s.value(1)
		}
	})
	if !ok || !hasID || !hasName || (wantID != "" && doc.ID != wantID) {
		return nil, false
	}
	slices.Sort(doc.Ignored)
	return doc, true
}

// object reads an object at s.i, which is depth containers in counting
// itself, if it is one.
func (s *scanner) object(depth int, member func(key []byte) bool) bool {
	return s.peek() == '{' && depth <= s.maxDepth && s.members(depth, member)
}

// members reads the object at s.i, calling member with each key (which
// has no escapes: an escaped key leaves the body to the library) with s.i
// at the key's value.
func (s *scanner) members(depth int, member func(key []byte) bool) bool {
	s.i++ // {
	if s.space(); s.peek() == '}' {
		s.i++
		return true
	}
	open := len(s.keys)
	defer func() { s.keys = s.keys[:open] }()
	for {
		key, escaped, ok := s.stringBytes()
		if !ok {
			return false
		}
		if escaped || len(s.keys)-open >= maxFastKeys {
			s.unsure = true
			return false
		}
		for _, k := range s.keys[open:] {
			if bytes.Equal(k, key) {
				return false
			}
		}
		s.keys = append(s.keys, key)
		if s.space(); s.peek() != ':' {
			return false
		}
		s.i++
		s.space()
		if !member(key) {
			return false
		}
		if done, ok := s.next('}'); done || !ok {
			return ok
		}
	}
}

// array reads an array at s.i, depth containers in counting itself,
// calling element with each element's index and s.i at it.
func (s *scanner) array(depth int, element func(n int) bool) bool {
	if s.peek() != '[' || depth > s.maxDepth {
		return false
	}
	s.i++
	if s.space(); s.peek() == ']' {
		s.i++
		return true
	}
	for n := 0; ; n++ {
		if !element(n) {
			return false
		}
		if done, ok := s.next(']'); done || !ok {
			return ok
		}
	}
}

// value skips any value at s.i, which is depth containers in.
func (s *scanner) value(depth int) bool {
	switch c := s.peek(); {
	case c == '{':
		return s.object(depth+1, func([]byte) bool { return s.value(depth + 1) })
	case c == '[':
		return s.array(depth+1, func(int) bool { return s.value(depth + 1) })
	case c == '"':
		return s.skipString()
	case c == '-' || isDigit(c):
		return s.number()
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	}
	return false
}

// boolean reads a Livefyre boolean: true, false, "true" or "false".
func (s *scanner) boolean() bool {
	switch s.peek() {
	case 't':
		return s.literal("true")
	case 'f':
		return s.literal("false")
	}
	b, ok := s.str()
	return ok && (string(b) == "true" || string(b) == "false")
}

// next reads the ',' before another member or element, or the closing
// delimiter.
func (s *scanner) next(closing byte) (done, ok bool) {
	s.space()
	switch s.peek() {
	case ',':
		s.i++
		s.space()
		return false, true
	case closing:
		s.i++
		return true, true
	}
	return false, false
}

// nonEmpty reads a string that must not be empty.
func (s *scanner) nonEmpty() (string, bool) {
	v, ok := s.str()
	return string(v), ok && len(v) > 0
}

// str reads a string and returns its value: its bytes in the body when it
// has no escapes, else a decoded copy.
func (s *scanner) str() ([]byte, bool) {
	raw, escaped, ok := s.stringBytes()
	if !ok || !escaped {
		return raw, ok
	}
	return unescape(raw), true
}

// unescape decodes a string's content whose escapes stringBytes checked,
// as encoding/json does: a \u escape of half a surrogate pair that is not
// followed by the other half is U+FFFD.
func unescape(raw []byte) []byte {
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); {
		if raw[i] != '\\' {
			out = append(out, raw[i])
			i++
			continue
		}
		c := raw[i+1]
		i += 2
		switch c {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := hex4(raw[i:])
			i += 4
			if utf16.IsSurrogate(r) {
				pair := utf8.RuneError
				if i+6 <= len(raw) && raw[i] == '\\' && raw[i+1] == 'u' {
					pair = utf16.DecodeRune(r, hex4(raw[i+2:]))
				}
				if r = pair; r != utf8.RuneError {
					i += 6
				}
			}
			out = utf8.AppendRune(out, r)
		default: // '"', '\\', '/'
			out = append(out, c)
		}
	}
	return out
}

func hex4(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		switch {
		case c <= '9':
			r = r<<4 | rune(c-'0')
		case c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			r = r<<4 | rune(c-'a'+10)
		}
	}
	return r
}

func (s *scanner) skipString() bool {
	_, _, ok := s.stringBytes()
	return ok
}

// stringBytes reads the string literal at s.i, checking its escapes, and
// returns its content as written.
func (s *scanner) stringBytes() (raw []byte, escaped, ok bool) {
	if s.peek() != '"' {
		return nil, false, false
	}
	start := s.i + 1
	for i := start; i < len(s.b); {
		switch c := s.b[i]; {
		case c == '"':
			s.i = i + 1
			return s.b[start:i], escaped, true
		case c < 0x20:
			return nil, false, false
		case c == '\\':
			escaped = true
			n := escapeLen(s.b[i:])
			if n == 0 {
				return nil, false, false
			}
			i += n
		default:
			i++
		}
	}
	return nil, false, false
}

// escapeLen is the length of the valid escape at the start of b, or 0.
func escapeLen(b []byte) int {
	if len(b) < 2 {
		return 0
	}
	switch b[1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2
	case 'u':
		if len(b) < 6 {
			return 0
		}
		for _, c := range b[2:6] {
			if !isHex(c) {
				return 0
			}
		}
		return 6
	}
	return 0
}

// number reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *scanner) number() bool {
	if s.peek() == '-' {
		s.i++
	}
	if s.peek() == '0' {
		s.i++
	} else if !s.digits() {
		return false
	}
	if s.peek() == '.' {
		s.i++
		if !s.digits() {
			return false
		}
	}
	if c := s.peek(); c == 'e' || c == 'E' {
		if s.i++; s.peek() == '+' || s.peek() == '-' {
			s.i++
		}
		return s.digits()
	}
	return true
}

func (s *scanner) digits() bool {
	if !isDigit(s.peek()) {
		return false
	}
	for s.i++; isDigit(s.peek()); s.i++ {
	}
	return true
}

func (s *scanner) literal(lit string) bool {
	if !bytes.HasPrefix(s.b[s.i:], []byte(lit)) {
		return false
	}
	s.i += len(lit)
	return true
}

// isURL is the schema's $defs/url pattern, ^https?://[^\s/?#]+[^\s]*$,
// where \s is Go regexp's [\t\n\f\r ] (the library compiles patterns with
// package regexp).
func isURL(u []byte) bool {
	rest, ok := bytes.CutPrefix(u, []byte("https://"))
	if !ok {
		if rest, ok = bytes.CutPrefix(u, []byte("http://")); !ok {
			return false
		}
	}
	host := 0
	for host < len(rest) && !isURLSpace(rest[host]) && rest[host] != '/' && rest[host] != '?' && rest[host] != '#' {
		host++
	}
	if host == 0 {
		return false
	}
	for i := host; i < len(rest); i++ {
		if isURLSpace(rest[i]) {
			return false
		}
	}
	return true
}

func isURLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

// isTag is the schema's tag pattern, ^[A-Za-z0-9_]{1,63}$.
func isTag(t []byte) bool {
	if len(t) < 1 || len(t) > 63 {
		return false
	}
	for i := range len(t) {
		c := t[i]
		if !(isDigit(c) || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_') {
			return false
		}
	}
	return true
}
