package profile_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"p4p/profile"
)

func TestCheckAccepts(t *testing.T) {
	tests := []struct {
		file        string
		wantID      string
		wantName    string
		wantIgnored []string
	}{
		{"docs-example.json", "u-1001", "Ada L", nil},
		{"full-strings.json", "u-1001", "Ada L", nil},
		{"full-booleans.json", "u-1001", "Ada L", nil},
		{"full-booleans.json", "", "Ada L", nil}, // no id to compare
		{"ft.json", "11111111-2222-3333-4444-555555555555", "jreader", []string{"first_name", "last_name"}},
	}
	v := newValidator(t)
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			body := fixture(t, tt.file)
			doc, err := v.Check(body, tt.wantID)
			if err != nil {
				t.Fatalf("got %v, want no error", err)
			}
			var raw bytes.Buffer
			if err := json.Compact(&raw, body); err != nil {
				t.Fatal(err)
			}
			want := &profile.Document{ID: "u-1001", DisplayName: tt.wantName, Raw: raw.Bytes(), Ignored: tt.wantIgnored}
			if tt.wantID != "" {
				want.ID = tt.wantID
			}
			if diff := cmp.Diff(want, doc); diff != "" {
				t.Errorf("document (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckAcceptsEdges(t *testing.T) {
	tests := []struct{ name, body string }{
		{"empty URLs", minimal(`"image_url":"","profile_url":"","settings_url":""`)},
		{"nameimage rule", minimal(`"display_rules":{"nameimage":"true","bio":false}`)},
		{"unknown notification", minimal(`"email_notifications":{"digest":"weekly"}`)},
		{"unknown name keys", minimal(`"name":{"first_name":"Ada"},"nickname":"ada"`)},
		{"63-char tag", minimal(`"tags":["` + strings.Repeat("a", 63) + `"]`)},
		{"depth 32", minimal(`"a":` + nested(31))},
		{"surrounding space", " \n" + minimal("") + "\r\n\t"},
		{"exactly MaxBytes", minimal("") + strings.Repeat(" ", profile.DefaultMaxBytes-len(minimal("")))},
	}
	v := newValidator(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := v.Check([]byte(tt.body), "u-1"); err != nil {
				t.Errorf("got %v, want no error", err)
			}
		})
	}
}

// nested is n arrays, one in another.
func nested(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }

func TestCheckRefuses(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		wantID    string
		wantKind  error
		wantPaths []string
	}{
		{"missing id", `{"display_name":"Ada"}`, "", profile.ErrSchema, []string{"/id"}},
		{"missing display_name", `{"id":"u-1"}`, "u-1", profile.ErrSchema, []string{"/display_name"}},
		{"empty display_name", `{"id":"u-1","display_name":""}`, "u-1", profile.ErrSchema, []string{"/display_name"}},
		{"id a number", `{"id":1,"display_name":"Ada"}`, "1", profile.ErrSchema, []string{"/id"}},
		{"tag with a space", minimal(`"tags":["ok","bad tag"]`), "u-1", profile.ErrSchema, []string{"/tags/1"}},
		{"64-char tag", minimal(`"tags":["` + strings.Repeat("a", 64) + `"]`), "u-1", profile.ErrSchema, []string{"/tags/0"}},
		{"3 websites", minimal(`"websites":["https://a.example","https://b.example","https://c.example"]`), "u-1", profile.ErrSchema, []string{"/websites"}},
		{"empty website", minimal(`"websites":[""]`), "u-1", profile.ErrSchema, []string{"/websites/0"}},
		{"relative image_url", minimal(`"image_url":"/a.png"`), "u-1", profile.ErrSchema, []string{"/image_url"}},
		{"hourly comments", minimal(`"email_notifications":{"comments":"hourly"}`), "u-1", profile.ErrSchema, []string{"/email_notifications/comments"}},
		{"autofollow yes", minimal(`"autofollow_conversations":"yes"`), "u-1", profile.ErrSchema, []string{"/autofollow_conversations"}},
		{"display_rules.bio 1", minimal(`"display_rules":{"bio":1}`), "u-1", profile.ErrSchema, []string{"/display_rules/bio"}},
		{"moderator 1", minimal(`"moderator":1`), "u-1", profile.ErrSchema, []string{"/moderator"}},
		{"moderator yes", minimal(`"moderator":"yes"`), "u-1", profile.ErrSchema, []string{"/moderator"}},
		{"gravatar_disabled null", minimal(`"gravatar_disabled":null`), "u-1", profile.ErrSchema, []string{"/gravatar_disabled"}},
		{"gravatar_disabled 0", minimal(`"gravatar_disabled":0`), "u-1", profile.ErrSchema, []string{"/gravatar_disabled"}},
		{"email a number", minimal(`"email":42`), "u-1", profile.ErrSchema, []string{"/email"}},
		{"location an object", minimal(`"location":{"city":"Paris"}`), "u-1", profile.ErrSchema, []string{"/location"}},
		{"bio an array", minimal(`"bio":["a"]`), "u-1", profile.ErrSchema, []string{"/bio"}},
		{"name a string", minimal(`"name":"Ada Lovelace"`), "u-1", profile.ErrSchema, []string{"/name"}},
		{"name.first a number", minimal(`"name":{"first":1}`), "u-1", profile.ErrSchema, []string{"/name/first"}},
		{"name.last a boolean", minimal(`"name":{"last":true}`), "u-1", profile.ErrSchema, []string{"/name/last"}},
		{"name.middle null", minimal(`"name":{"middle":null}`), "u-1", profile.ErrSchema, []string{"/name/middle"}},
		{"name.formatted an array", minimal(`"name":{"formatted":["Ada"]}`), "u-1", profile.ErrSchema, []string{"/name/formatted"}},
		{"100-char tag", minimal(`"tags":["ok","` + strings.Repeat("b", 100) + `"]`), "u-1", profile.ErrSchema, []string{"/tags/1"}},
		{"several, sorted", `{"websites":["x"],"tags":["a b"]}`, "", profile.ErrSchema, []string{"/display_name", "/id", "/tags/0", "/websites/0"}},
		{"id mismatch", minimal(""), "u-2", profile.ErrIDMismatch, []string{"/id"}},
		{"id case", `{"id":"U-1","display_name":"Ada"}`, "u-1", profile.ErrIDMismatch, []string{"/id"}},
		{"id space", `{"id":"u-1 ","display_name":"Ada"}`, "u-1", profile.ErrIDMismatch, []string{"/id"}},
		{"empty body", ``, "u-1", profile.ErrEmpty, nil},
		{"whitespace body", " \r\n", "u-1", profile.ErrEmpty, nil},
		{"null", `null`, "u-1", profile.ErrNotObject, nil},
		{"array", `[` + minimal("") + `]`, "u-1", profile.ErrNotObject, nil},
		{"string", `"u-1"`, "u-1", profile.ErrNotObject, nil},
		{"trailing garbage", `{"id":"a","display_name":"b"} x`, "a", profile.ErrNotJSON, nil},
		{"two objects", minimal("") + minimal(""), "u-1", profile.ErrNotJSON, nil},
		{"truncated", `{"id":"u-1","display_name":"Ad`, "u-1", profile.ErrNotJSON, nil},
		{"unclosed", `{"id":"u-1","display_name":"Ada"`, "u-1", profile.ErrNotJSON, nil},
		{"trailing comma", minimal(`"tags":["a",]`), "u-1", profile.ErrNotJSON, nil},
		{"single quotes", `{'id':'u-1'}`, "u-1", profile.ErrNotJSON, nil},
		{"invalid UTF-8", "{\"id\":\"u-1\",\"display_name\":\"Ad\xff\"}", "u-1", profile.ErrInvalidUTF8, nil},
		{"depth 33", minimal(`"a":` + nested(32)), "u-1", profile.ErrTooDeep, []string{"/a" + strings.Repeat("/0", 31)}},
		{"depth 33 in objects", minimal(`"a":` + strings.Repeat(`{"b":`, 32) + "1" + strings.Repeat("}", 32)), "u-1", profile.ErrTooDeep, []string{"/a" + strings.Repeat("/b", 31)}},
		{"duplicate top-level key", `{"id":"u-1","display_name":"Ada","id":"u-2"}`, "u-1", profile.ErrDuplicateKey, []string{"/id"}},
		{"duplicate nested key", minimal(`"name":{"first":"Ada","first":"Grace"}`), "u-1", profile.ErrDuplicateKey, []string{"/name/first"}},
		{"duplicate key in an array", minimal(`"x":[{},{"a/b":1,"a/b":2}]`), "u-1", profile.ErrDuplicateKey, []string{"/x/1/a~1b"}},
		{"MaxBytes+1", minimal("") + strings.Repeat(" ", profile.DefaultMaxBytes+1-len(minimal(""))), "u-1", profile.ErrTooLarge, nil},
	}
	v := newValidator(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := v.Check([]byte(tt.body), tt.wantID)
			if err == nil {
				t.Fatalf("got %+v, want error %v", doc, tt.wantKind)
			}
			if !errors.Is(err, tt.wantKind) {
				t.Errorf("got error %v, want kind %v", err, tt.wantKind)
			}
			if diff := cmp.Diff(tt.wantPaths, paths(asError(t, err).Problems)); diff != "" {
				t.Errorf("problem paths (-want +got):\n%s\nerror: %v", diff, err)
			}
			if doc != nil {
				t.Errorf("got document %+v with the error, want nil", doc)
			}
		})
	}
}

func TestValidatorLimits(t *testing.T) {
	tests := []struct{ in, want profile.Limits }{
		{profile.Limits{}, profile.Limits{MaxBytes: profile.DefaultMaxBytes, MaxDepth: profile.DefaultMaxDepth}},
		{profile.Limits{MaxBytes: -1, MaxDepth: -1}, profile.Limits{MaxBytes: profile.DefaultMaxBytes, MaxDepth: profile.DefaultMaxDepth}},
		{profile.Limits{MaxBytes: 10, MaxDepth: 3}, profile.Limits{MaxBytes: 10, MaxDepth: 3}},
	}
	for _, tt := range tests {
		v, err := profile.NewValidator(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := v.Limits(); got != tt.want {
			t.Errorf("NewValidator(%+v).Limits(): got %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestCheckLimits(t *testing.T) {
	v, err := profile.NewValidator(profile.Limits{MaxBytes: 50, MaxDepth: 2})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		body     string
		wantKind error
	}{
		{minimal(`"a":[1]`), nil},
		{minimal(`"a":[[1]]`), profile.ErrTooDeep},
		{minimal(`"bio":"` + strings.Repeat("x", 20) + `"`), profile.ErrTooLarge},
	}
	for _, tt := range tests {
		_, err := v.Check([]byte(tt.body), "u-1")
		if !errors.Is(err, tt.wantKind) {
			t.Errorf("Check(%s): got %v, want %v", tt.body, err, tt.wantKind)
		}
	}
}

func TestCheckMessages(t *testing.T) {
	tests := []struct {
		body, wantID, want string
	}{
		{minimal(`"tags":["bad tag!"]`), "u-1", `response is not valid: /tags/0: "bad tag!" does not match ^[A-Za-z0-9_]{1,63}$ (spec 1.6)`},
		{`{"display_name":"Ada"}`, "", `response is not valid: /id: required field is missing (spec 1.6)`},
		{`{"id":7,"display_name":"Ada"}`, "", `response is not valid: /id: got number 7, want string (spec 1.6)`},
		{minimal(`"autofollow_conversations":"yes"`), "u-1", `response is not valid: /autofollow_conversations: "yes" is not a boolean: want true, false, "true" or "false" (spec 6.11)`},
		{minimal(`"image_url":"/a.png"`), "u-1", `response is not valid: /image_url: "/a.png" is not a fully qualified http(s) URL or "" (spec 1.6)`},
		{minimal(`"websites":["http://a","http://b","http://c"]`), "u-1", `response is not valid: /websites: got 3 items, want at most 2 (spec 1.6)`},
		{minimal(`"email_notifications":{"comments":"hourly"}`), "u-1", `response is not valid: /email_notifications/comments: "hourly" is not "immediately", "often" or "never" (spec 1.6)`},
		{`{"id":"U-1","display_name":"Ada"}`, "u-1", `response id differs from the requested id: /id: got "U-1", want "u-1"; ids are compared exactly (spec 1.6)`},
		{minimal(`"name":{"first":"A","first":"B"}`), "u-1", `response has a duplicate key: /name/first: the key appears more than once; JSON parsers disagree on which one wins`},
		{`{"id":"a","display_name":"b"} x`, "a", `response not JSON: data after the JSON value, at byte 30`},
		{`[]`, "a", `response not a JSON object: got an array; the profile must be a JSON object (spec 1.6)`},
		{"{\"id\":\"\xff\"}", "a", `response not UTF-8: invalid UTF-8 at byte 7; JSON must be UTF-8 (RFC 8259)`},
	}
	v := newValidator(t)
	for _, tt := range tests {
		_, err := v.Check([]byte(tt.body), tt.wantID)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Check(%s):\ngot  %v\nwant %s", tt.body, err, tt.want)
		}
	}
}

// TestCheckMessagesAreShort feeds long content everywhere an error could
// quote it.
func TestCheckMessagesAreShort(t *testing.T) {
	long := strings.Repeat("x", 5000)
	bodies := []string{
		minimal(`"tags":["` + long + ` "]`),
		minimal(`"image_url":"` + long + `"`),
		minimal(`"email_notifications":{"comments":"` + long + `"}`),
		minimal(`"display_rules":{"` + long + `":"` + long + `"}`),
		minimal(`"` + long + `":1,"` + long + `":2`),
		minimal(`"` + long + `":` + nested(40)),
		`{"id":` + strings.Repeat("9", 5000) + `,"display_name":"a"}`,
		`{"id":"` + long + `","display_name":"a"}`,
		`{"tags":[` + strings.Repeat(`"a b",`, 100) + `"a b"],"websites":[` + strings.Repeat(`"`+long+`",`, 3) + `"x"]}`,
	}
	v := newValidator(t)
	for _, body := range bodies {
		_, err := v.Check([]byte(body), "u-1")
		if err == nil {
			t.Fatalf("Check(%.40s…): got no error", body)
		}
		msg := err.Error()
		if n := strings.Count(msg, "x") + strings.Count(msg, "9"); n > 200 || len(msg) > 400 {
			t.Errorf("got a %d-byte message quoting %d bytes of the response, want at most 200: %s", len(msg), n, msg)
		}
		if strings.ContainsAny(msg, "\r\n") {
			t.Errorf("got a message on several lines: %q", msg)
		}
		for _, p := range asError(t, err).Problems {
			if len(p.Path)+len(p.Message) > 200 {
				t.Errorf("got a %d-byte problem: %v", len(p.Path)+len(p.Message), p)
			}
		}
	}
}

func TestCheckKeepsAtMost20Problems(t *testing.T) {
	body := minimal(`"tags":[` + strings.Repeat(`"a b",`, 30) + `"a b"]`)
	_, err := newValidator(t).Check([]byte(body), "u-1")
	e := asError(t, err)
	if got := len(e.Problems); got != 20 {
		t.Errorf("got %d problems, want 20", got)
	}
	if want := "31 problems, the first 20 listed"; e.Detail != want {
		t.Errorf("got detail %q, want %q", e.Detail, want)
	}
}

func TestCheckConcurrently(t *testing.T) {
	v := newValidator(t)
	good, bad := fixture(t, "full-strings.json"), []byte(minimal(`"tags":["a b"]`))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				if _, err := v.Check(good, "u-1001"); err != nil {
					t.Errorf("good body: got %v", err)
				}
				if _, err := v.Check(bad, "u-1"); !errors.Is(err, profile.ErrSchema) {
					t.Errorf("bad body: got %v, want %v", err, profile.ErrSchema)
				}
			}
		})
	}
	wg.Wait()
}
