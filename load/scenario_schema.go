package load

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"p4p"
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
	bad = map[string]bool{}
	err = s.Validate(obj)
	if err == nil {
		return checkTemplate(name, obj, bad), bad, nil
	}
	fs, err := schemas.Failures(err, obj, func(def string) bool { _, ok := defMessages[def]; return ok })
	if err != nil {
		return nil, nil, err
	}
	for _, f := range fs {
		ps = append(ps, at(name, f.Pointer(), "%s", explain(f)))
		if len(f.Location) > 0 {
			bad[f.Location[0]] = true
		}
	}
	return append(ps, checkTemplate(name, obj, bad)...), bad, nil
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

// words name a scenario's values: strings quoted, and lists and
// mappings, as YAML calls them, by what they are.
var words = schemas.Words{Show: describe}

// defRules are the $defs whose rule is the root package's: a value that
// fails one is explained in that rule's words, as p4p conformance and the
// mock explain it.
var defRules = map[string]func(string) error{
	"network": func(s string) error { return p4p.Network(s).Validate() },
	"userID":  func(s string) error { return p4p.UserID(s).Validate() },
}

// explain words one of the schema's failures for a scenario's author.
func explain(f schemas.Failure) string {
	if rule, ok := defRules[f.Def]; ok {
		if s, isString := f.Value.(string); isString && rule(s) != nil {
			return rule(s).Error()
		}
	}
	if msg, ok := defMessages[f.Def]; ok {
		return describe(f.Value) + " " + msg
	}
	switch f.Kind.(type) {
	case *kind.AdditionalProperties:
		return unknownField(f.Property)
	case *kind.Required:
		return "required: " + requiredHelp[f.Property]
	}
	return f.Message(words)
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
