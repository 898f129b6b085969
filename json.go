package p4p

import (
	"encoding/json"
	"errors"
	"io"
	"strings"
)

// ErrTrailingData is returned by DecodeJSON for input that holds more
// than one JSON value.
var ErrTrailingData = errors.New("data after the JSON value")

// DecodeJSON decodes exactly one JSON value from r into v, as p4p reads
// every document from outside (a hook's body, a report, a scenario): an
// object field v has no place for is refused, not dropped, and so is
// anything after the value but white space. r should be bounded by the
// caller (io.LimitReader, http.MaxBytesReader); the errors of a bounded
// reader are returned as they are.
func DecodeJSON(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	var syntax *json.SyntaxError
	switch _, err := dec.Token(); {
	case err == io.EOF:
		return nil
	case err == nil || errors.As(err, &syntax):
		return ErrTrailingData
	default:
		return err
	}
}

// Pointer is the JSON pointer (RFC 6901) made of tokens: object keys or
// array indexes, "~" and "/" in them escaped. No tokens is the whole
// document, "".
func Pointer(tokens ...string) string {
	ptr := ""
	for _, t := range tokens {
		ptr = AppendPointer(ptr, t)
	}
	return ptr
}

// AppendPointer appends one token, a key or an index, to a JSON pointer.
func AppendPointer(ptr, token string) string {
	return ptr + "/" + pointerEscaper.Replace(token)
}

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")
