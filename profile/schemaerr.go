package profile

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"p4p/schemas"
)

// schemaError turns the validator's failures (schemas.Failures) into
// sorted problems in the integrator's terms. A value that is neither a
// URL nor "" is one problem, not one per alternative.
func schemaError(err error, root any) *Error {
	fs, err := schemas.Failures(err, root, func(def string) bool { return def == "urlOrEmpty" })
	if err != nil {
		return fail(ErrSchema, "%s", clip(err.Error(), 4*maxShown))
	}
	ps := make([]Problem, len(fs))
	for i, f := range fs {
		ps[i] = Problem{Path: pointer(f.Location), Message: message(f)}
	}
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

// words name a response's values, cut short.
var words = schemas.Words{Show: show, Describe: describe}

// message explains one failure, with what the pull-response schema's
// $defs mean and the spec section that says so.
func message(f schemas.Failure) string {
	switch _, isEnum := f.Kind.(*kind.Enum); {
	case f.Def == "urlOrEmpty":
		return show(f.Value) + ` is not a fully qualified http(s) URL or "" (spec 1.6)`
	case strings.HasPrefix(f.Def, "url"):
		if _, ok := f.Kind.(*kind.Pattern); ok {
			return show(f.Value) + " is not a fully qualified http(s) URL (spec 1.6)"
		}
	case f.Def == "boolean" && isEnum:
		return show(f.Value) + ` is not a boolean: want true, false, "true" or "false" (spec 6.11)`
	}
	return f.Message(words) + " (spec 1.6)"
}
