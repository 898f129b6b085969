package schemas_test

import (
	"encoding/json"
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"p4p"
	"p4p/schemas"
)

// compile compiles one embedded schema with Compile, failing the test
// on any error or when its $id does not end in its name.
func compile(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	s, err := schemas.Compile(name)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if !strings.HasSuffix(s.ID, "/"+name) {
		t.Errorf("%s: got $id %q, want one ending in /%s", name, s.ID, name)
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

func TestCompileUnknownName(t *testing.T) {
	_, err := schemas.Compile("no-such.schema.json")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("got error %v, want one wrapping fs.ErrNotExist", err)
	}
}

// validityCase is a document and whether a schema accepts it.
type validityCase struct {
	name  string
	body  string
	valid bool
}

// checkValidity validates each case's body with s.
func checkValidity(t *testing.T, s *jsonschema.Schema, tests []validityCase) {
	t.Helper()
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

func TestPullResponse(t *testing.T) {
	checkValidity(t, compile(t, schemas.PullResponse), []validityCase{
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
	})
}

func TestScenario(t *testing.T) {
	checkValidity(t, compile(t, schemas.Scenario), []validityCase{
		{"minimal", `{"scenario":"pull","rate":"500/s","duration":"60s"}`, true},
		{"rate per minute", `{"scenario":"pull","rate":"50/1m","duration":"1m30s"}`, true},
		{"rate with a unit", `{"scenario":"pull","rate":"10/ms","duration":"1h"}`, true},
		{"rate as a number", `{"scenario":"pull","rate":500,"duration":"60s"}`, true},
		{"as fast as possible", `{"scenario":"pull","rate":"0","max_workers":8,"duration":"60s"}`, true},
		{"soak of propagation", `{"scenario":"soak","of":"propagation","rate":"5/s","duration":"2h","window":"5m","delay":"1m-10m","time_scale":60}`, true},
		{"remote", `{"scenario":"pull","rate":"5/s","duration":"1m","pull_url":"https://example.com/pull?id={id}","network":"example.fyre.co","key_env":"STAGING_KEY","users":["u-1","user.2"]}`, true},
		{"encoded placeholder", `{"scenario":"pull","rate":"5/s","duration":"1m","pull_url":"https://example.com/u/%7Bid%7D"}`, true},
		{"slo", `{"scenario":"pull","rate":"5/s","duration":"1m","slo":["success>=99.9%","p99<250ms"]}`, true},
		{"no scenario", `{"rate":"5/s","duration":"1m"}`, false},
		{"no rate", `{"scenario":"pull","duration":"1m"}`, false},
		{"no duration", `{"scenario":"pull","rate":"5/s"}`, false},
		{"key", `{"scenario":"pull","rate":"5/s","duration":"1m","key":"s3cret"}`, false},
		{"unknown field", `{"scenario":"pull","rate":"5/s","duration":"1m","burst":5}`, false},
		{"bad scenario", `{"scenario":"burst","rate":"5/s","duration":"1m"}`, false},
		{"of pull only", `{"scenario":"soak","of":"soak","rate":"5/s","duration":"1m"}`, false},
		{"bad ramp", `{"scenario":"pull","ramp":"exp","rate":"5/s","duration":"1m"}`, false},
		{"rate words", `{"scenario":"pull","rate":"fast","duration":"1m"}`, false},
		{"negative rate", `{"scenario":"pull","rate":"-5/s","duration":"1m"}`, false},
		{"fractional rate", `{"scenario":"pull","rate":1.5,"duration":"1m"}`, false},
		{"huge rate", `{"scenario":"pull","rate":20000000,"duration":"1m"}`, false},
		{"number duration", `{"scenario":"pull","rate":"5/s","duration":60}`, false},
		{"negative duration", `{"scenario":"pull","rate":"5/s","duration":"-1m"}`, false},
		// The Pull URL template's rule is p4p.Template's, applied after
		// the schema: the schema only bounds its length.
		{"pull_url without {id}", `{"scenario":"pull","rate":"5/s","duration":"1m","pull_url":"https://example.com/pull"}`, true},
		{"empty pull_url", `{"scenario":"pull","rate":"5/s","duration":"1m","pull_url":""}`, false},
		{"network evilfyre.co", `{"scenario":"pull","rate":"5/s","duration":"1m","network":"evilfyre.co"}`, false},
		{"user id with a space", `{"scenario":"pull","rate":"5/s","duration":"1m","users":["a b/c"]}`, false},
		{"bad network", `{"scenario":"pull","rate":"5/s","duration":"1m","network":"example.com"}`, false},
		{"users not strings", `{"scenario":"pull","rate":"5/s","duration":"1m","users":[1]}`, false},
		{"bad user id", `{"scenario":"pull","rate":"5/s","duration":"1m","users":["a b"]}`, false},
		{"slo not a list", `{"scenario":"pull","rate":"5/s","duration":"1m","slo":"p99<1s"}`, false},
		{"zero time scale", `{"scenario":"propagation","rate":"5/s","duration":"1m","time_scale":0}`, false},
		{"bad delay", `{"scenario":"propagation","rate":"5/s","duration":"1m","delay":"soon"}`, false},
		{"livefyre not a URL", `{"scenario":"propagation","rate":"5/s","duration":"1m","livefyre":"localhost:8080"}`, false},
	})
}

// TestScenarioRulesAreP4P: the scenario schema's network and user-id
// patterns and its length limits are the root package's rules, written
// out for editors; p4p load applies the rules themselves after the
// schema, and this keeps the two from drifting.
func TestScenarioRulesAreP4P(t *testing.T) {
	data, err := schemas.FS.ReadFile(schemas.Scenario)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Defs map[string]struct {
			Pattern   string `json:"pattern"`
			MaxLength int    `json:"maxLength"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		def, pattern string
		maxLength    int
	}{
		{"network", p4p.NetworkPattern, p4p.MaxNetworkLength},
		{"userID", p4p.UserIDPattern, 0},
		{"pullURL", "", p4p.MaxTemplateLength},
	} {
		got := doc.Defs[tt.def]
		if got.Pattern != tt.pattern || got.MaxLength != tt.maxLength {
			t.Errorf("$defs/%s: pattern %q, maxLength %d; want %q, %d", tt.def, got.Pattern, got.MaxLength, tt.pattern, tt.maxLength)
		}
	}
}
