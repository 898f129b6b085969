package profile_test

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"p4p/profile"
	"p4p/schemas"
)

// full has every field set, with both forms of Bool.
var full = profile.Profile{
	ID:                      "u-1001",
	DisplayName:             "Ada L",
	Name:                    &profile.Name{Formatted: "Ada B Lovelace", First: "Ada", Middle: "B", Last: "Lovelace"},
	Email:                   "ada@example.org",
	ImageURL:                "https://cdn.example.org/av/u-1001.png?v=3",
	ProfileURL:              "https://www.example.org/users/u-1001",
	SettingsURL:             "https://www.example.org/users/u-1001/settings",
	Tags:                    []string{"beta_tester", "member"},
	AutofollowConversations: &profile.Bool{Value: false, AsString: true},
	EmailNotifications: map[string]string{
		"comments": "often", "replies": "immediately", "likes": "never",
		"moderator_comments": "never", "moderator_flags": "often",
	},
	Location: "London",
	Bio:      "Poetical science <& more>.",
	Websites: []string{"https://ada.example.org/", "https://blog.example.net/ada"},
	DisplayRules: map[string]profile.Bool{
		"bio": {Value: true, AsString: true}, "location": {Value: true}, "gender": {},
		"name": {Value: true}, "image": {Value: true, AsString: true}, "remote_profile_url": {AsString: true},
	},
	Moderator:        &profile.Bool{Value: true},
	GravatarDisabled: &profile.Bool{Value: false, AsString: true},
}

func TestProfileRoundTrip(t *testing.T) {
	body, err := full.JSON()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := newValidator(t).Check(body, full.ID)
	if err != nil {
		t.Fatalf("Check(%s): %v", body, err)
	}
	if doc.Ignored != nil {
		t.Errorf("got ignored %v, want none", doc.Ignored)
	}
	var got profile.Profile
	if err := json.Unmarshal(doc.Raw, &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(full, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestProfileJSONOmitsUnset(t *testing.T) {
	got, err := profile.Profile{ID: "u-1", DisplayName: "Ada"}.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"id":"u-1","display_name":"Ada"}`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// TestFields checks that Fields, Profile's JSON names and the schema's
// properties are the same list.
func TestFields(t *testing.T) {
	if !slices.IsSorted(profile.Fields) {
		t.Errorf("Fields %v are not sorted", profile.Fields)
	}
	var tags []string
	typ := reflect.TypeFor[profile.Profile]()
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		tags = append(tags, name)
	}
	slices.Sort(tags)
	if diff := cmp.Diff(profile.Fields, tags); diff != "" {
		t.Errorf("Fields versus Profile's json tags (-Fields +tags):\n%s", diff)
	}
	data, err := schemas.FS.ReadFile(schemas.PullResponse)
	if err != nil {
		t.Fatal(err)
	}
	var schema struct{ Properties map[string]any }
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatal(err)
	}
	props := slices.Sorted(maps.Keys(schema.Properties))
	if diff := cmp.Diff(profile.Fields, props); diff != "" {
		t.Errorf("Fields versus the schema's properties (-Fields +schema):\n%s", diff)
	}
}
