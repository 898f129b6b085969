package profile

import (
	"encoding/json"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"p4p/schemas"
)

// Defaults for the zero Limits.
const (
	DefaultMaxBytes = 1 << 20 // a profile is a few KB
	DefaultMaxDepth = 32      // a profile nests 2 levels
)

// Limits bound what a response may be. Zero or negative fields take the
// defaults.
type Limits struct {
	MaxBytes int // body size; DefaultMaxBytes if 0. Cap reads at MaxBytes+1.
	MaxDepth int // nesting of objects and arrays; DefaultMaxDepth if 0
}

// Validator decodes and validates pull responses. It is safe for concurrent
// use.
type Validator struct {
	schema *jsonschema.Schema
	limits Limits
}

// Document is a validated pull response.
type Document struct {
	ID          string          // the user's id, as the response gave it
	DisplayName string          // the user's display name
	Raw         json.RawMessage // the body, compacted, ready to store
	Ignored     []string        // top-level fields Livefyre ignores (not in spec 1.6), sorted; nil if none
}

// NewValidator returns a Validator with the given limits, compiling the
// pull-response schema embedded in p4p/schemas once.
func NewValidator(l Limits) (*Validator, error) {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	s, err := schemas.Compile(schemas.PullResponse)
	if err != nil {
		return nil, fmt.Errorf("new validator: schema %s: %w", schemas.PullResponse, err)
	}
	return &Validator{schema: s, limits: l}, nil
}

// Check validates body as the response for wantID, comparing ids exactly
// (an empty wantID skips the comparison), and returns the document. Its
// errors are *Error; see the package doc for the order of the checks.
func (v *Validator) Check(body []byte, wantID string) (*Document, error) {
	if err := v.precheck(body); err != nil {
		return nil, err
	}
	if doc, ok := fastCheck(body, wantID, v.limits.MaxDepth); ok {
		return doc, nil
	}
	return v.check(body, wantID)
}

// check is Check through the JSON Schema library, after the precheck: the
// path of every body fastCheck does not pass, which explains the refusal.
func (v *Validator) check(body []byte, wantID string) (*Document, error) {
	value, raw, err := decode(body, v.limits.MaxDepth)
	if err != nil {
		return nil, err
	}
	obj, ok := value.(map[string]any)
	if !ok {
		return nil, fail(ErrNotObject, "got %s; the profile must be a JSON object (spec 1.6)", describe(value))
	}
	if err := v.schema.Validate(obj); err != nil {
		return nil, schemaError(err, obj)
	}
	id, _ := obj["id"].(string) // the schema requires non-empty strings
	name, _ := obj["display_name"].(string)
	if wantID != "" && id != wantID {
		return nil, problem(ErrIDMismatch, "/id", "got %s, want %s; ids are compared exactly (spec 1.6)", quote(id), quote(wantID))
	}
	return &Document{ID: id, DisplayName: name, Raw: raw, Ignored: ignored(obj)}, nil
}

// Limits returns the limits v enforces, with the defaults filled in. Read at
// most Limits().MaxBytes+1 bytes of a response, so that Check can tell a
// body that is too large.
func (v *Validator) Limits() Limits { return v.limits }

// precheck refuses what needs no parsing: no body, too big a body, and
// invalid UTF-8, which encoding/json would silently replace.
func (v *Validator) precheck(body []byte) error {
	switch {
	case len(body) == 0:
		return fail(ErrEmpty, "no body; the endpoint must return the profile as a JSON object (spec 1.6)")
	case len(body) > v.limits.MaxBytes:
		return fail(ErrTooLarge, "over %d bytes", v.limits.MaxBytes)
	case !utf8.Valid(body):
		return fail(ErrInvalidUTF8, "invalid UTF-8 at byte %d; JSON must be UTF-8 (RFC 8259)", invalidUTF8At(body))
	}
	return nil
}

func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

func ignored(obj map[string]any) []string {
	var out []string
	for k := range obj {
		if !documented(k) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
