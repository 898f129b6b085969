package load

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"p4p"
)

// MaxScenarioBytes bounds a scenario file; a scenario is a few lines.
const MaxScenarioBytes = 1 << 20

// maxScenarioDepth bounds the nesting of a scenario file's values; a
// scenario nests two levels (a list in the top mapping).
const maxScenarioDepth = 8

// emptyScenario explains an empty file.
const emptyScenario = "empty; a scenario needs at least scenario, rate and duration"

// scenarioFormats maps a scenario file's extension to its format.
var scenarioFormats = map[string]string{".yaml": "yaml", ".yml": "yaml", ".json": "json"}

// ReadScenario reads a scenario file, YAML (.yaml, .yml) or JSON (.json),
// as DecodeScenario does, naming the file in its errors.
func ReadScenario(path string) (Scenario, error) {
	format, ok := scenarioFormats[strings.ToLower(filepath.Ext(path))]
	if !ok {
		return Scenario{}, &problem{where: path, msg: "want a .yaml, .yml or .json scenario file"}
	}
	f, err := os.Open(path)
	if err != nil {
		return Scenario{}, fmt.Errorf("%w: %w", ErrScenario, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxScenarioBytes+1))
	if err != nil {
		return Scenario{}, fmt.Errorf("%w: %w", ErrScenario, err)
	}
	return decodeScenario(path, data, format)
}

// DecodeScenario decodes a scenario in format "yaml" or "json". It
// refuses data over MaxScenarioBytes, invalid UTF-8, duplicate keys, YAML
// aliases, tags and non-string keys, then validates the data against
// schemas/scenario.schema.json, and decodes it strictly. Its errors wrap
// ErrScenario and name every bad field by its JSON pointer ("/rate").
// It does not fill defaults or check the fields against each other:
// Check does.
func DecodeScenario(data []byte, format string) (Scenario, error) {
	return decodeScenario("scenario", data, format)
}

func decodeScenario(name string, data []byte, format string) (Scenario, error) {
	doc, err := parseScenario(name, data, format)
	if err != nil {
		return Scenario{}, err
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return Scenario{}, at(name, "", "a scenario is a mapping of fields such as scenario: pull, not %s", describe(doc))
	}
	ps, bad, err := validateScenario(name, obj)
	if err != nil {
		return Scenario{}, err
	}
	ps = append(ps, decodeFields(name, obj, bad)...)
	if len(ps) > 0 {
		slices.SortStableFunc(ps, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
		return Scenario{}, slices.Compact(ps).err()
	}
	var s Scenario
	if err := strictJSON(obj, &s); err != nil {
		return Scenario{}, at(name, "", "%s", fieldError(err))
	}
	return s, nil
}

// parseScenario turns data into the values the schema validator reads:
// map[string]any, []any, string, json.Number, bool and nil.
func parseScenario(name string, data []byte, format string) (any, error) {
	switch {
	case format != "yaml" && format != "json":
		return nil, &problem{where: name, msg: fmt.Sprintf("format %s: want yaml or json", clipQuote(format))}
	case len(data) > MaxScenarioBytes:
		return nil, &problem{where: name, msg: fmt.Sprintf("over %d bytes (1 MiB); a scenario is a few lines", MaxScenarioBytes)}
	case !utf8.Valid(data):
		return nil, &problem{where: name, msg: "not valid UTF-8"}
	case len(bytes.TrimSpace(data)) == 0:
		return nil, &problem{where: name, msg: emptyScenario}
	}
	if format == "yaml" {
		return parseYAML(name, data)
	}
	return parseJSON(name, data)
}

// unquoted is clipQuote without the quotes, for names in messages.
func unquoted(s string) string { return strings.Trim(clipQuote(s), `"`) }

// at is a problem at a JSON pointer in the named file. A pointer with
// characters that are not printable is shown escaped, so that each
// problem stays on its line.
func at(name, ptr, format string, args ...any) error {
	where := name
	if strings.ContainsFunc(ptr, func(r rune) bool { return !unicode.IsPrint(r) }) {
		ptr = unquoted(ptr)
	}
	if ptr != "" {
		where += ": " + ptr
	}
	return &problem{where: where, msg: fmt.Sprintf(format, args...)}
}

// decodeFields decodes each field but those in skip on its own,
// strictly, so that every value the schema cannot judge (a rate over the
// limit, a duration that overflows) is named at once.
func decodeFields(name string, obj map[string]any, skip map[string]bool) problems {
	var ps problems
	for _, key := range slices.Sorted(maps.Keys(obj)) {
		var one Scenario
		if skip[key] {
			continue
		}
		if err := strictJSON(map[string]any{key: obj[key]}, &one); err != nil {
			ps = append(ps, at(name, p4p.AppendPointer("", key), "%s", fieldError(err)))
		}
	}
	return ps
}

// strictJSON decodes v's JSON into s, refusing unknown fields.
func strictJSON(v any, s *Scenario) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return p4p.DecodeJSON(bytes.NewReader(data), s)
}

// fieldError says what encoding/json found wrong with a value.
func fieldError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("got %s, which does not fit a %s", te.Value, te.Type)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}
