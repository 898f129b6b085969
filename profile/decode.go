package profile

import (
	"encoding/json"
	"slices"
	"strconv"
	"unicode/utf8"
)

// parser is the one pass over a body, which must already be valid UTF-8. It
// builds the value the schema validator reads (objects as map[string]any,
// arrays as []any, numbers as json.Number) and the compacted body, and
// refuses what encoding/json lets through: duplicate keys (Unmarshal keeps
// the last), deep nesting, and data after the value. Paths are built only
// for errors, as they unwind.
//
// It is hand-written rather than a loop over json.Decoder.Token, which
// allocates an error and its message for every scalar it reads and made
// this pass half of Check's time. FuzzDecode compares it with encoding/json,
// value for value.
type parser struct {
	cursor
	maxDepth int
}

// cursor is where a pass over a body stands, and the body compacted so
// far; the parser and the fast path's scanner (fast.go) both walk one.
type cursor struct {
	b       []byte
	i       int    // next byte
	compact []byte // the body up to last, without insignificant space
	last    int    // the first byte not yet copied to compact
}

// parseError is a refusal found while parsing; path collects the segments
// from the offending value outwards.
type parseError struct {
	kind error
	msg  string
	path []string // innermost first
}

// decode returns the value of body, and the body without insignificant
// space, as json.Compact would write it. Its errors are *Error.
func decode(body []byte, maxDepth int) (v any, compact []byte, err error) {
	p := parser{cursor: cursor{b: body, compact: make([]byte, 0, len(body))}, maxDepth: maxDepth}
	p.space()
	if p.i == len(p.b) {
		return nil, nil, fail(ErrEmpty, "only whitespace; the endpoint must return the profile as a JSON object (spec 1.6)")
	}
	v, terr := p.value(0)
	if terr != nil {
		return nil, nil, terr.err()
	}
	if p.space(); p.i < len(p.b) {
		return nil, nil, fail(ErrNotJSON, "data after the JSON value, at byte %d", p.i)
	}
	return v, append(p.compact, p.b[p.last:]...), nil
}

// value reads the value at p.i, which is depth containers in.
func (p *parser) value(depth int) (any, *parseError) {
	switch c := p.peek(); {
	case c == '{' || c == '[':
		if depth >= p.maxDepth {
			return nil, &parseError{kind: ErrTooDeep, msg: "more than " + strconv.Itoa(p.maxDepth) + " levels of objects and arrays"}
		}
		if c == '{' {
			return p.object(depth + 1)
		}
		return p.array(depth + 1)
	case c == '"':
		s, err := p.string()
		if err != nil {
			return nil, err
		}
		return s, nil
	case c == '-' || isDigit(c):
		return p.number()
	case c == 't':
		return p.literal("true", true)
	case c == 'f':
		return p.literal("false", false)
	case c == 'n':
		return p.literal("null", nil)
	}
	return nil, p.unexpected("a value")
}

func (p *parser) object(depth int) (any, *parseError) {
	obj := make(map[string]any)
	p.i++ // {
	if p.space(); p.peek() == '}' {
		p.i++
		return obj, nil
	}
	for {
		if p.peek() != '"' {
			return nil, p.unexpected("a string key")
		}
		key, err := p.string()
		if err != nil {
			return nil, err
		}
		if _, dup := obj[key]; dup {
			return nil, &parseError{kind: ErrDuplicateKey, msg: "the key appears more than once; JSON parsers disagree on which one wins", path: []string{key}}
		}
		if p.space(); p.peek() != ':' {
			return nil, p.unexpected("':'")
		}
		p.i++
		p.space()
		v, err := p.value(depth)
		if err != nil {
			return nil, err.in(key)
		}
		obj[key] = v
		if done, err := p.next('}'); done || err != nil {
			return obj, err
		}
	}
}

func (p *parser) array(depth int) (any, *parseError) {
	arr := make([]any, 0, 4)
	p.i++ // [
	if p.space(); p.peek() == ']' {
		p.i++
		return arr, nil
	}
	for {
		v, err := p.value(depth)
		if err != nil {
			return nil, err.in(strconv.Itoa(len(arr)))
		}
		arr = append(arr, v)
		if done, err := p.next(']'); done || err != nil {
			return arr, err
		}
	}
}

// next reads the ',' before another member or element, or the closing
// delimiter.
func (p *parser) next(closing byte) (done bool, err *parseError) {
	p.space()
	switch p.peek() {
	case ',':
		p.i++
		p.space()
		return false, nil
	case closing:
		p.i++
		return true, nil
	}
	return false, p.unexpected("',' or '" + string(closing) + "'")
}

// string reads the string literal at p.i.
func (p *parser) string() (string, *parseError) {
	start := p.i + 1
	for i := start; i < len(p.b); i++ {
		switch c := p.b[i]; {
		case c == '"':
			p.i = i + 1
			return string(p.b[start:i]), nil
		case c == '\\':
			return p.escaped(start, i)
		case c < 0x20:
			p.i = i
			return "", p.unexpected("a string's closing '\"'; control characters must be escaped")
		}
	}
	p.i = len(p.b)
	return "", p.unexpected("a string's closing '\"'")
}

// escaped reads a string literal with escapes, from the start of its
// content; i is at its first backslash. It checks the escapes, and leaves
// decoding them to encoding/json.
func (p *parser) escaped(start, i int) (string, *parseError) {
	for i < len(p.b) {
		switch c := p.b[i]; {
		case c == '"':
			var s string
			if err := json.Unmarshal(p.b[start-1:i+1], &s); err != nil { // checked above, so never
				p.i = start
				return "", &parseError{kind: ErrNotJSON, msg: err.Error()}
			}
			p.i = i + 1
			return s, nil
		case c < 0x20:
			p.i = i
			return "", p.unexpected("a string's closing '\"'; control characters must be escaped")
		case c != '\\':
			i++
			continue
		}
		p.i = i + 1 // after the backslash
		switch p.peek() {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			i += 2
		case 'u':
			for p.i++; p.i < i+6; p.i++ {
				if !isHex(p.peek()) {
					return "", p.unexpected("a hex digit of a \\u escape")
				}
			}
			i += 6
		default:
			return "", p.unexpected("an escape: \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX")
		}
	}
	p.i = len(p.b)
	return "", p.unexpected("a string's closing '\"'")
}

// number reads the number at p.i: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *parser) number() (any, *parseError) {
	start := p.i
	if p.peek() == '-' {
		p.i++
	}
	if p.peek() == '0' {
		p.i++
	} else if err := p.digits(); err != nil {
		return nil, err
	}
	if p.peek() == '.' {
		p.i++
		if err := p.digits(); err != nil {
			return nil, err
		}
	}
	if c := p.peek(); c == 'e' || c == 'E' {
		if p.i++; p.peek() == '+' || p.peek() == '-' {
			p.i++
		}
		if err := p.digits(); err != nil {
			return nil, err
		}
	}
	return json.Number(p.b[start:p.i]), nil
}

// digits reads one digit or more.
func (p *parser) digits() *parseError {
	if !isDigit(p.peek()) {
		return p.unexpected("a digit")
	}
	for p.i++; isDigit(p.peek()); p.i++ {
	}
	return nil
}

func (p *parser) literal(lit string, v any) (any, *parseError) {
	for k := range len(lit) {
		if p.peek() != lit[k] {
			return nil, p.unexpected(strconv.Quote(lit))
		}
		p.i++
	}
	return v, nil
}

// space skips insignificant space, leaving it out of c.compact.
func (c *cursor) space() {
	start := c.i
	for c.i < len(c.b) && isSpace(c.b[c.i]) {
		c.i++
	}
	if c.i > start {
		c.compact = append(c.compact, c.b[c.last:start]...)
		c.last = c.i
	}
}

// peek returns the byte at c.i, or 0 at the end.
func (c *cursor) peek() byte {
	if c.i < len(c.b) {
		return c.b[c.i]
	}
	return 0
}

func (p *parser) unexpected(want string) *parseError {
	if p.i >= len(p.b) {
		return &parseError{kind: ErrNotJSON, msg: "the JSON ends early, at byte " + strconv.Itoa(p.i) + " (truncated?); want " + want}
	}
	r, _ := utf8.DecodeRune(p.b[p.i:])
	return &parseError{kind: ErrNotJSON, msg: "unexpected " + strconv.QuoteRune(r) + " at byte " + strconv.Itoa(p.i) + "; want " + want}
}

// in records that the refusal is inside the member or element seg. Syntax
// errors carry a byte offset instead of a path.
func (e *parseError) in(seg string) *parseError {
	if e.kind != ErrNotJSON {
		e.path = append(e.path, seg)
	}
	return e
}

func (e *parseError) err() *Error {
	if e.kind == ErrNotJSON {
		return &Error{Kind: e.kind, Detail: e.msg}
	}
	slices.Reverse(e.path)
	return &Error{Kind: e.kind, Problems: []Problem{{Path: pointer(e.path), Message: e.msg}}}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isHex(c byte) bool   { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }
