package load

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"p4p"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"p4p/schemas"
)

// scenarioSchema is schemas/scenario.schema.json, compiled once.
var scenarioSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	return schemas.Compile(schemas.Scenario)
})

// validateScenario validates doc against the schema and explains every
// failure at its place in the file.
func validateScenario(name string, obj map[string]any) (ps problems, bad map[string]bool, err error) {
	s, err := scenarioSchema()
	if err != nil {
		return nil, nil, fmt.Errorf("schema %s: %w", schemas.Scenario, err)
	}
	var ve *jsonschema.ValidationError
	if err := s.Validate(obj); !errors.As(err, &ve) {
		if err != nil {
			return nil, nil, err
		}
		bad = map[string]bool{}
		return checkTemplate(name, obj, bad), bad, nil
	}
	e := schemaExplainer{name: name, root: obj, bad: map[string]bool{}}
	e.collect(ve)
	return append(e.ps, checkTemplate(name, obj, e.bad)...), e.bad, nil
}

// checkTemplate applies p4p.Template's rule to a pull_url the schema let
// through, which it describes but cannot decide, so that the problem is
// named at its place in the file as the schema's are.
func checkTemplate(name string, obj map[string]any, bad map[string]bool) problems {
	t, ok := obj["pull_url"].(string)
	if !ok || bad["pull_url"] {
		return nil
	}
	if err := p4p.Template(t).Validate(); err != nil {
		bad["pull_url"] = true
		return problems{at(name, "/pull_url", "%v", err)}
	}
	return nil
}

// defMessages explains a value that fails one of the schema's $defs.
var defMessages = map[string]string{
	"rate":     "is not a rate such as 500/s, 50/1m or 0 (as fast as possible)",
	"duration": "is not a duration such as 90s, 5m or 1h30m",
	"delay":    "is not a delay such as 90s or a range such as 1m-10m",
	"url":      "is not an http or https URL such as http://127.0.0.1:8080",
	"pullURL":  "is not an http or https URL with {id} where the user id goes, such as https://example.com/pull?id={id}",
	"network":  "is not a full network name such as example.fyre.co (spec 3.1)",
	"envName":  "is not an environment variable's name such as " + DefaultKeyEnv,
	"userID":   "is not a user id: want 1 to 256 of a-z A-Z 0-9 _ . - (spec 2.3)",
	"fault":    "is not a fault of p4p refapp, such as slow",
}

// requiredHelp says what a missing required field wants.
var requiredHelp = map[string]string{
	"scenario": "pull, propagation or soak",
	"rate":     "a rate such as 500/s",
	"duration": "a duration such as 60s",
}

// schemaExplainer turns the validator's tree of errors into problems,
// and notes the top-level fields they are in.
type schemaExplainer struct {
	name string
	root any
	ps   problems
	bad  map[string]bool
}

func (e *schemaExplainer) add(loc []string, format string, args ...any) {
	e.ps = append(e.ps, at(e.name, pointerOf(loc), format, args...))
	if len(loc) > 0 {
		e.bad[loc[0]] = true
	}
}

func (e *schemaExplainer) collect(ve *jsonschema.ValidationError) {
	if msg, ok := defMessages[schemaDef(ve.SchemaURL)]; ok {
		e.add(ve.InstanceLocation, "%s %s", e.show(ve.InstanceLocation), msg)
		return
	}
	switch k := ve.ErrorKind.(type) {
	case *kind.AdditionalProperties:
		for _, p := range k.Properties {
			e.add(append(slices.Clip(ve.InstanceLocation), p), "%s", unknownField(p))
		}
	case *kind.Required:
		for _, m := range k.Missing {
			e.add(append(slices.Clip(ve.InstanceLocation), m), "required: %s", requiredHelp[m])
		}
	case *kind.Type:
		e.add(ve.InstanceLocation, "got %s, want %s", k.Got, strings.Join(k.Want, " or "))
	case *kind.Enum:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = fmt.Sprint(w)
		}
		e.add(ve.InstanceLocation, "%s is not %s", e.show(ve.InstanceLocation), orList(want))
	default:
		if len(ve.Causes) == 0 {
			e.add(ve.InstanceLocation, "%s %s", e.show(ve.InstanceLocation), bound(k))
		}
	}
	for _, c := range ve.Causes {
		e.collect(c)
	}
}

// orList writes "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// bound explains a failed bound, or names the keyword that failed.
func bound(k jsonschema.ErrorKind) string {
	switch k := k.(type) {
	case *kind.Minimum:
		return "is less than " + k.Want.FloatString(0)
	case *kind.Maximum:
		return "is more than " + k.Want.FloatString(0)
	case *kind.ExclusiveMinimum:
		return "must be more than " + k.Want.FloatString(0)
	case *kind.MinItems:
		return fmt.Sprintf("has %d items, want at least %d", k.Got, k.Want)
	case *kind.MaxItems:
		return fmt.Sprintf("has %d items, want at most %d", k.Got, k.Want)
	case *kind.MinLength:
		if k.Want == 1 {
			return "is empty"
		}
		return fmt.Sprintf("has %d characters, want at least %d", k.Got, k.Want)
	case *kind.MaxLength:
		return fmt.Sprintf("has %d characters, want at most %d", k.Got, k.Want)
	}
	return "fails the schema's " + strings.Join(k.KeywordPath(), "/")
}

// unknownField explains a field the schema does not know, the key above
// all, and suggests the field a near miss meant.
func unknownField(name string) string {
	if name == "key" {
		return "the network key is never written in a scenario file: set key_env to the environment variable that holds it (" + DefaultKeyEnv + " if absent)"
	}
	guess := strings.ReplaceAll(strings.ToLower(name), "-", "_")
	if guess != name && slices.Contains(scenarioFields(), guess) {
		return "unknown field; did you mean " + guess + "?"
	}
	return "unknown field; see schemas/" + schemas.Scenario
}

// scenarioFields are the JSON names of Scenario's fields.
var scenarioFields = sync.OnceValue(func() []string {
	var names []string
	t := reflect.TypeFor[Scenario]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "-" {
			names = append(names, name)
		}
	}
	return names
})

// show quotes the value at loc for a message.
func (e *schemaExplainer) show(loc []string) string {
	v := e.root
	for _, tok := range loc {
		switch c := v.(type) {
		case map[string]any:
			v = c[tok]
		case []any:
			i, _ := strconv.Atoi(tok)
			v = c[i]
		}
	}
	return describe(v)
}

// describe quotes a string, and names other values by what they are.
func describe(v any) string {
	switch v := v.(type) {
	case string:
		return clipQuote(v)
	case map[string]any:
		return "a mapping"
	case []any:
		return "a list"
	case nil:
		return "null"
	}
	return fmt.Sprint(v)
}

// schemaDef is the name of the $defs entry a schema location is in.
func schemaDef(schemaURL string) string {
	_, after, ok := strings.Cut(schemaURL, "#/$defs/")
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(after, "/")
	return name
}

func pointerOf(loc []string) string {
	ptr := ""
	for _, tok := range loc {
		ptr = pointerTo(ptr, tok)
	}
	return ptr
}
