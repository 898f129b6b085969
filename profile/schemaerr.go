package profile

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// schemaError turns the validator's tree of errors into sorted problems at
// its leaves. An anyOf (a URL or "") is one problem, not one per
// alternative.
func schemaError(err error, root any) *Error {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return fail(ErrSchema, "%s", clip(err.Error(), 4*maxShown))
	}
	ps := collect(ve, root, nil)
	slices.SortFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Message, b.Message))
	})
	ps = slices.Compact(ps)
	e := &Error{Kind: ErrSchema, Problems: ps}
	if len(ps) > maxProblems {
		e.Detail = fmt.Sprintf("%d problems, the first %d listed", len(ps), maxProblems)
		e.Problems, e.omitted = ps[:maxProblems:maxProblems], len(ps)-maxProblems
	}
	return e
}

func collect(e *jsonschema.ValidationError, root any, ps []Problem) []Problem {
	switch e.ErrorKind.(type) {
	case *kind.AnyOf, *kind.OneOf:
		if msg, ok := alternatives(e, root); ok {
			return append(ps, Problem{Path: pointer(e.InstanceLocation), Message: msg})
		}
	case *kind.Required:
		for _, m := range e.ErrorKind.(*kind.Required).Missing {
			ps = append(ps, Problem{Path: pointer(append(slices.Clip(e.InstanceLocation), m)), Message: "required field is missing (spec 1.6)"})
		}
		return ps
	}
	if len(e.Causes) == 0 {
		return append(ps, Problem{Path: pointer(e.InstanceLocation), Message: leaf(e, root)})
	}
	for _, c := range e.Causes {
		ps = collect(c, root, ps)
	}
	return ps
}

// alternatives explains a failed anyOf by the $defs entry that holds it.
func alternatives(e *jsonschema.ValidationError, root any) (string, bool) {
	got := show(lookup(root, e.InstanceLocation))
	if def(e.SchemaURL) == "urlOrEmpty" {
		return got + ` is not a fully qualified http(s) URL or "" (spec 1.6)`, true
	}
	return "", false
}

// leaf explains one failed keyword.
func leaf(e *jsonschema.ValidationError, root any) string {
	switch k := e.ErrorKind.(type) {
	case *kind.Type:
		return fmt.Sprintf("got %s, want %s (spec 1.6)", describe(lookup(root, e.InstanceLocation)), strings.Join(k.Want, " or "))
	case *kind.MinLength:
		if k.Want == 1 {
			return "must not be empty (spec 1.6)"
		}
		return fmt.Sprintf("got %d characters, want at least %d (spec 1.6)", k.Got, k.Want)
	case *kind.MaxLength:
		return fmt.Sprintf("got %d characters, want at most %d (spec 1.6)", k.Got, k.Want)
	case *kind.MaxItems:
		return fmt.Sprintf("got %d items, want at most %d (spec 1.6)", k.Got, k.Want)
	case *kind.Pattern:
		if strings.HasPrefix(def(e.SchemaURL), "url") {
			return quote(k.Got) + " is not a fully qualified http(s) URL (spec 1.6)"
		}
		return fmt.Sprintf("%s does not match %s (spec 1.6)", quote(k.Got), k.Want)
	case *kind.Enum:
		if def(e.SchemaURL) == "boolean" {
			return show(k.Got) + ` is not a boolean: want true, false, "true" or "false" (spec 6.11)`
		}
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = show(w)
		}
		return fmt.Sprintf("%s is not one of %s (spec 1.6)", show(k.Got), strings.Join(want, ", "))
	case *kind.Const:
		return fmt.Sprintf("%s is not %s (spec 1.6)", show(k.Got), show(k.Want))
	}
	return "fails the schema's " + strings.Join(e.ErrorKind.KeywordPath(), "/") + " (spec 1.6)"
}

// def is the name of the $defs entry a schema location is in, or "".
func def(schemaURL string) string {
	_, after, ok := strings.Cut(schemaURL, "#/$defs/")
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(after, "/")
	return name
}
