package profile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fastSeeds are bodies at the edges of the schema: each documented field
// valid and invalid in the ways the schema tells apart, escapes where the
// value matters, and the shapes the fast path leaves to the library.
func fastSeeds(tb testing.TB) [][]byte {
	tb.Helper()
	var out [][]byte
	for _, name := range []string{"docs-example.json", "full-strings.json", "full-booleans.json", "ft.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, b)
	}
	min := func(members string) string { return `{"id":"u-1","display_name":"Ada"` + members + `}` }
	for _, s := range []string{
		min(""), min(`,"tags":["a b"]`), min(`,"tags":["a_b","Z9"]`), min(`,"tags":[]`), min(`,"tags":[""]`),
		min(`,"tags":["` + strings.Repeat("a", 63) + `"]`), min(`,"tags":["` + strings.Repeat("a", 64) + `"]`),
		min(`,"tags":["\u0041"]`), min(`,"tags":"a"`), min(`,"tags":[1]`), min(`,"tags":["é"]`),
		min(`,"name":{"first":"A","first":"B"}`), min(`,"name":{"first":1}`), min(`,"name":{"nick":1,"last":"L"}`),
		min(`,"name":"Ada"`), min(`,"name":null`), min(`,"name":{}`),
		min(`,"a":` + strings.Repeat("[", 31) + strings.Repeat("]", 31)),
		min(`,"a":` + strings.Repeat("[", 32) + strings.Repeat("]", 32)),
		min(`,"a":` + strings.Repeat(`{"b":`, 31) + "1" + strings.Repeat("}", 31)),
		min(`,"display_rules":{"bio":1}`), min(`,"display_rules":{"bio":"true","x":false}`), min(`,"display_rules":[]`),
		min(`,"image_url":""`), min(`,"image_url":"http://a"`), min(`,"image_url":"https://"`), min(`,"image_url":"http:///a"`),
		min(`,"image_url":"https://a b"`), min(`,"image_url":"https://a\tb"`), min(`,"image_url":"https://a/\u000c"`),
		min(`,"image_url":"https:\/\/a.org\/x"`), min(`,"image_url":"ftp://a"`), min(`,"image_url":"HTTP://a"`),
		min(`,"image_url":"https://?a"`), min(`,"image_url":"https://#"`), min(`,"image_url":"https://a\u0085"`),
		min(`,"profile_url":null`), min(`,"settings_url":"x"`), min(`,"settings_url":""`),
		min(`,"websites":[]`), min(`,"websites":["https://a","http://b"]`), min(`,"websites":["https://a","http://b","http://c"]`),
		min(`,"websites":[""]`), min(`,"websites":"https://a"`),
		min(`,"moderator":true`), min(`,"moderator":"false"`), min(`,"moderator":"True"`), min(`,"moderator":1`),
		min(`,"moderator":null`), min(`,"moderator":"tru\u0065"`), min(`,"gravatar_disabled":"true "`),
		min(`,"autofollow_conversations":false`), min(`,"autofollow_conversations":[]`),
		min(`,"email_notifications":{"likes":"often","other":5}`), min(`,"email_notifications":{"likes":"daily"}`),
		min(`,"email_notifications":{"likes":"nev\u0065r"}`), min(`,"email_notifications":1`),
		min(`,"email":1`), min(`,"bio":"a\nb"`), min(`,"bio":"a\\nb\u00e9\ud800"`), min(`,"location":null`),
		min(`,"x":1,"b":[1,2.5e3,-0,{"c":null}],"a":"s"`), min(`,"x":01`), min(`,"x":1.`), min(`,"x":-`), min(`,"x":tru`),
		min(`,"i\u0064":"u-1"`), min(`,"\u0078":1`), min(`,"id":"u-1"`), min(`,"x":{"a":1,"a":2}`), min(`,"x":[{"a":1,"a":2}]`),
		` {"id" : "u-1" ,"display_name":"A" , "x" : [ 1 , { } ] } `, "{\n\t\"id\":\"u-1\",\r\n\"display_name\":\"A\"}\n",
		`{"id":"u-\u0031","display_name":"A\"B"}`, `{"id":"","display_name":"A"}`, `{"id":"u-1","display_name":""}`,
		`{"id":"u-2","display_name":"A"}`, `{"display_name":"A"}`, `{"id":"u-1"}`, `{"id":1,"display_name":"A"}`,
		`{"id":"u-1","display_name":"A"} x`, `{"id":"u-1","display_name":"A",}`, `{"id":"u-1" "display_name":"A"}`,
		`{} {}`, `[[[[`, `null`, `{}`, `[]`, `"s"`, `{"id":"u-1","display_name":"A\u0000"}`, `{"id":"u-1\`,
		`{"id":"u-1","display_name":"\ud83d\ude00 \ud800\u0041 \udc00 \ud800"}`, `{"id":"u\u002d1","display_name":"\b\f\n\r\t\/\\"}`,
		min(`,"image_url":"https:\/\/a\u0020b"`), min(`,"tags":["a\u005fb","\u00e9"]`), min(`,"moderator":"\u0066alse"`),
		`{"id":"u-1","display_name":"\x"}`, `{"id":"u-1","display_name":"\u12"}`, "{\"id\":\"u-1\",\"display_name\":\"a\x01\"}",
	} {
		out = append(out, []byte(s))
	}
	many := make([]string, maxFastKeys+1)
	for i := range many {
		many[i] = `"k` + strings.Repeat("x", i) + `":1`
	}
	out = append(out, []byte(min(","+strings.Join(many, ","))))
	full, err := Profile{ID: "u-1", DisplayName: "Ada", Name: &Name{First: "Ada"}, Email: "a@b.c",
		ImageURL: "https://i.example/a.png", Tags: []string{"t"}, AutofollowConversations: &Bool{Value: true, AsString: true},
		EmailNotifications: map[string]string{"comments": "never"}, Websites: []string{"https://a.example"},
		DisplayRules: map[string]Bool{"bio": {}}, Moderator: &Bool{}, GravatarDisabled: &Bool{Value: true}}.JSON()
	if err != nil {
		tb.Fatal(err)
	}
	return append(out, full)
}

// agree checks that the fast path and the library path give the same
// verdict on body, and the same Document when both pass it.
func agree(t *testing.T, v *Validator, body []byte, wantID string) {
	t.Helper()
	if v.precheck(body) != nil {
		return // before either path
	}
	fast, unsure := fastScan(body, wantID, v.limits.MaxDepth)
	slow, err := v.check(body, wantID)
	switch {
	case fast != nil && err != nil:
		t.Fatalf("body %q, id %q: fast path passed it, the library says %v", body, wantID, err)
	case fast == nil && err == nil && !unsure:
		t.Fatalf("body %q, id %q: fast path refused it, the library passed it", body, wantID)
	case fast != nil:
		if diff := cmp.Diff(slow, fast); diff != "" {
			t.Fatalf("body %q: documents differ (-library +fast):\n%s", body, diff)
		}
	}
}

// TestFastAgrees runs the differential check over the seeds, each for its
// own id, another id and none.
func TestFastAgrees(t *testing.T) {
	v, err := NewValidator(Limits{})
	if err != nil {
		t.Fatal(err)
	}
	passed := 0
	for _, body := range fastSeeds(t) {
		for _, id := range []string{"", "u-1", "u-1001", "nobody"} {
			agree(t, v, body, id)
		}
		if doc, ok := fastCheck(body, "", v.limits.MaxDepth); ok && doc != nil {
			passed++
		}
	}
	if passed < 20 {
		t.Fatalf("the fast path passed %d seeds, want the valid ones (at least 20)", passed)
	}
}

// FuzzFastCheck compares the fast path with the JSON Schema library: the
// same verdict on every body, and the same Document (id, display name,
// compacted body, ignored fields) for a valid one. A change to the schema
// that the fast path does not follow fails here.
func FuzzFastCheck(f *testing.F) {
	for _, body := range fastSeeds(f) {
		f.Add(body, "u-1")
	}
	v, err := NewValidator(Limits{MaxDepth: 8})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte, wantID string) {
		agree(t, v, body, wantID)
		agree(t, v, body, "")
	})
}
