package schemas_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"p4p/schemas"
)

// testSchema has a $defs entry with alternatives, to be explained whole,
// and keywords of each kind Message words.
const testSchema = `{
  "$id": "https://p4p.test/explain.schema.json",
  "type": "object",
  "required": ["id", "name"],
  "additionalProperties": false,
  "properties": {
    "id": {"type": "string", "minLength": 1},
    "name": {"type": "string", "maxLength": 3},
    "kind": {"enum": ["a", "b", "c"]},
    "tags": {"type": "array", "maxItems": 1, "items": {"type": "string", "pattern": "^[a-z]+$"}},
    "n": {"type": "integer", "minimum": 1, "maximum": 9},
    "site": {"$ref": "#/$defs/urlOrEmpty"}
  },
  "$defs": {
    "urlOrEmpty": {"anyOf": [{"const": ""}, {"type": "string", "pattern": "^https?://"}]}
  }
}`

func compileTest(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(testSchema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("https://p4p.test/explain.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("https://p4p.test/explain.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func show(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprint(v)
}

func TestFailures(t *testing.T) {
	s := compileTest(t)
	whole := func(def string) bool { return def == "urlOrEmpty" }
	tests := []struct {
		name, doc string
		want      []string // "pointer: message [def]"
	}{
		{"valid", `{"id":"u","name":"A"}`, nil},
		{"missing both", `{}`, []string{"/id: required field is missing []", "/name: required field is missing []"}},
		{"unknown", `{"id":"u","name":"A","x/y":1}`, []string{"/x~1y: unknown field []"}},
		{"type", `{"id":7,"name":"A"}`, []string{"/id: got 7, want string []"}},
		{"empty", `{"id":"","name":"A"}`, []string{"/id: must not be empty []"}},
		{"long", `{"id":"u","name":"ABCD"}`, []string{"/name: got 4 characters, want at most 3 []"}},
		{"enum", `{"id":"u","name":"A","kind":"d"}`, []string{`/kind: "d" is not "a", "b" or "c" []`}},
		{"items", `{"id":"u","name":"A","tags":["a","B"]}`, []string{"/tags: got 2 items, want at most 1 []", `/tags/1: "B" does not match ^[a-z]+$ []`}},
		{"bounds", `{"id":"u","name":"A","n":0}`, []string{"/n: 0 is less than 1 []"}},
		{"whole def", `{"id":"u","name":"A","site":"ftp://x"}`, []string{"/site: fails the schema's anyOf [urlOrEmpty]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := jsonschema.UnmarshalJSON(strings.NewReader(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			fs, err := schemas.Failures(s.Validate(doc), doc, whole)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range fs {
				got = append(got, fmt.Sprintf("%s: %s [%s]", f.Pointer(), f.Message(schemas.Words{Show: show}), f.Def))
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(tt.want))
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
	if _, err := schemas.Failures(fmt.Errorf("not a validation error"), nil, nil); err == nil {
		t.Error("Failures of another error returned no error")
	}
}

func ExampleFailures() {
	s, err := schemas.Compile(schemas.PullResponse)
	if err != nil {
		panic(err)
	}
	doc, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"id":"u-1","display_name":"","websites":["https://a.example","https://b.example","https://c.example"]}`))
	fs, _ := schemas.Failures(s.Validate(doc), doc, nil)
	slices.SortFunc(fs, func(a, b schemas.Failure) int { return strings.Compare(a.Pointer(), b.Pointer()) })
	for _, f := range fs {
		fmt.Printf("%s: %s\n", f.Pointer(), f.Message(schemas.Words{Show: func(v any) string { return fmt.Sprintf("%q", v) }}))
	}
	// Output:
	// /display_name: must not be empty
	// /websites: got 3 items, want at most 2
}
