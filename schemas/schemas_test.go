package schemas_test

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"p4p/schemas"
)

// compile compiles one embedded schema, failing the test on any error.
func compile(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	f, err := schemas.FS.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	id, _ := doc.(map[string]any)["$id"].(string)
	if !strings.HasSuffix(id, "/"+name) {
		t.Errorf("%s: got $id %q, want one ending in /%s", name, id, name)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(id, doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	s, err := c.Compile(id)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return s
}

func TestEverySchemaCompiles(t *testing.T) {
	names, err := fs.Glob(schemas.FS, "*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("got no embedded schemas")
	}
	for _, name := range names {
		compile(t, name)
	}
}

func TestPullResponse(t *testing.T) {
	s := compile(t, schemas.PullResponse)
	tests := []struct {
		name  string
		body  string
		valid bool
	}{
		{"minimal", `{"id":"u-1","display_name":"Ada"}`, true},
		{"string booleans", `{"id":"u-1","display_name":"Ada","moderator":"false","display_rules":{"bio":"true","nameimage":true}}`, true},
		{"empty URLs", `{"id":"u-1","display_name":"Ada","image_url":"","profile_url":"","settings_url":""}`, true},
		{"unknown fields", `{"id":"u-1","display_name":"Ada","nickname":"a","name":{"first_name":"Ada"}}`, true},
		{"unknown notification", `{"id":"u-1","display_name":"Ada","email_notifications":{"digest":1}}`, true},
		{"often moderator flags", `{"id":"u-1","display_name":"Ada","email_notifications":{"moderator_flags":"often"}}`, true},
		{"no id", `{"display_name":"Ada"}`, false},
		{"empty display name", `{"id":"u-1","display_name":""}`, false},
		{"empty website", `{"id":"u-1","display_name":"Ada","websites":[""]}`, false},
		{"relative URL", `{"id":"u-1","display_name":"Ada","profile_url":"/u/1"}`, false},
		{"URL with a space", `{"id":"u-1","display_name":"Ada","image_url":"https://a.example/x y.png"}`, false},
		{"ftp URL", `{"id":"u-1","display_name":"Ada","settings_url":"ftp://a.example/"}`, false},
		{"boolean yes", `{"id":"u-1","display_name":"Ada","gravatar_disabled":"yes"}`, false},
		{"hourly", `{"id":"u-1","display_name":"Ada","email_notifications":{"likes":"hourly"}}`, false},
		{"tag too long", `{"id":"u-1","display_name":"Ada","tags":["` + strings.Repeat("a", 64) + `"]}`, false},
		{"name not an object", `{"id":"u-1","display_name":"Ada","name":"Ada L"}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := jsonschema.UnmarshalJSON(strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			err = s.Validate(doc)
			if got := err == nil; got != tt.valid {
				t.Errorf("got valid %v, want %v (%v)", got, tt.valid, err)
			}
		})
	}
}
