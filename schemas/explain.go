package schemas

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"p4p"
)

// Failure is one reason a document failed a schema, at one place in it:
// p4p's single reading of the validator's tree of errors, which the
// profile checker and the scenario decoder both word for their readers.
type Failure struct {
	// Location holds the JSON pointer's tokens of the failing value or,
	// for a missing or unknown property, of that property.
	Location []string
	// Def is the schema's $defs entry the failure is in, "" if none.
	Def string
	// Value is the document's value at Location; nil if there is none.
	Value any
	// Kind is the keyword that failed. For a property that is missing
	// (*kind.Required) or unknown (*kind.AdditionalProperties), Kind
	// lists every such property and Location names this one.
	Kind jsonschema.ErrorKind
	// Property is the missing or unknown property, "" otherwise.
	Property string
}

// Pointer is the failure's location as a JSON pointer (RFC 6901).
func (f Failure) Pointer() string { return p4p.Pointer(f.Location...) }

// Failures flattens err, the error of validating doc, into its failures,
// in no set order (callers sort what they show): one per failed keyword at a leaf of the tree,
// and one per missing or unknown property. A failure within a $defs
// entry for which whole returns true is one failure of the entry, there
// where the value entered it, whatever alternatives it tried inside. An
// err that is not a validation error is returned as it is.
func Failures(err error, doc any, whole func(def string) bool) ([]Failure, error) {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return nil, err
	}
	if whole == nil {
		whole = func(string) bool { return false }
	}
	return flatten(ve, doc, whole, nil), nil
}

func flatten(e *jsonschema.ValidationError, doc any, whole func(string) bool, fs []Failure) []Failure {
	loc, def := e.InstanceLocation, Def(e.SchemaURL)
	if def != "" && whole(def) {
		return append(fs, Failure{Location: loc, Def: def, Value: lookup(doc, loc), Kind: e.ErrorKind})
	}
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		for _, m := range k.Missing {
			fs = append(fs, Failure{Location: append(slices.Clip(loc), m), Def: def, Kind: k, Property: m})
		}
		return fs
	case *kind.AdditionalProperties:
		for _, p := range k.Properties {
			fs = append(fs, Failure{Location: append(slices.Clip(loc), p), Def: def, Value: lookup(doc, append(slices.Clip(loc), p)), Kind: k, Property: p})
		}
		return fs
	}
	if len(e.Causes) == 0 {
		return append(fs, Failure{Location: loc, Def: def, Value: lookup(doc, loc), Kind: e.ErrorKind})
	}
	for _, c := range e.Causes {
		fs = flatten(c, doc, whole, fs)
	}
	return fs
}

// Words name a document's values in messages.
type Words struct {
	// Show writes a value as the document does: "abc", 12, true.
	Show func(any) string
	// Describe names a value with its type: string "abc", an object.
	// Nil means Show.
	Describe func(any) string
}

// Message explains f in p4p's wording, naming values with w: "got number
// 7, want string", "has 3 items, want at most 2", `"x" is not "a" or
// "b"`, "is less than 1", "required field is missing", "unknown field".
// Callers add what only they know (what a $defs entry means, the spec
// section) before or after it.
func (f Failure) Message(w Words) string {
	show, describe := w.Show, w.Describe
	if describe == nil {
		describe = show
	}
	switch k := f.Kind.(type) {
	case *kind.Required:
		return "required field is missing"
	case *kind.AdditionalProperties:
		return "unknown field"
	case *kind.Type:
		return fmt.Sprintf("got %s, want %s", describe(f.Value), strings.Join(k.Want, " or "))
	case *kind.Enum:
		want := make([]string, len(k.Want))
		for i, v := range k.Want {
			want[i] = show(v)
		}
		return fmt.Sprintf("%s is not %s", show(f.Value), orList(want))
	case *kind.Const:
		return fmt.Sprintf("%s is not %s", show(f.Value), show(k.Want))
	case *kind.Pattern:
		return fmt.Sprintf("%s does not match %s", show(f.Value), k.Want)
	case *kind.MinLength:
		if k.Want == 1 {
			return "must not be empty"
		}
		return fmt.Sprintf("got %d characters, want at least %d", k.Got, k.Want)
	case *kind.MaxLength:
		return fmt.Sprintf("got %d characters, want at most %d", k.Got, k.Want)
	case *kind.MinItems:
		return fmt.Sprintf("got %d items, want at least %d", k.Got, k.Want)
	case *kind.MaxItems:
		return fmt.Sprintf("got %d items, want at most %d", k.Got, k.Want)
	case *kind.Minimum:
		return fmt.Sprintf("%s is less than %s", show(f.Value), k.Want.FloatString(0))
	case *kind.Maximum:
		return fmt.Sprintf("%s is more than %s", show(f.Value), k.Want.FloatString(0))
	case *kind.ExclusiveMinimum:
		return fmt.Sprintf("%s must be more than %s", show(f.Value), k.Want.FloatString(0))
	}
	return "fails the schema's " + strings.Join(f.Kind.KeywordPath(), "/")
}

// Def is the name of the $defs entry a schema location is in, or "".
func Def(schemaURL string) string {
	_, after, ok := strings.Cut(schemaURL, "#/$defs/")
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(after, "/")
	return name
}

// lookup finds the value at a location in a decoded document, or nil.
func lookup(v any, loc []string) any {
	for _, s := range loc {
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

// orList writes "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
