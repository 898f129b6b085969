package profile

import (
	"encoding/json"
	"slices"
)

// Profile is a pull response body (spec 1.6): every documented field, under
// its documented JSON name. Only ID and DisplayName are required.
type Profile struct {
	ID                      string            `json:"id"`
	DisplayName             string            `json:"display_name"`
	Name                    *Name             `json:"name,omitempty"`
	Email                   string            `json:"email,omitempty"`
	ImageURL                string            `json:"image_url,omitempty"`
	ProfileURL              string            `json:"profile_url,omitempty"`
	SettingsURL             string            `json:"settings_url,omitempty"`
	Tags                    []string          `json:"tags,omitempty"`
	AutofollowConversations *Bool             `json:"autofollow_conversations,omitempty"`
	EmailNotifications      map[string]string `json:"email_notifications,omitempty"`
	Location                string            `json:"location,omitempty"`
	Bio                     string            `json:"bio,omitempty"`
	Websites                []string          `json:"websites,omitempty"`
	DisplayRules            map[string]Bool   `json:"display_rules,omitempty"`
	Moderator               *Bool             `json:"moderator,omitempty"`
	GravatarDisabled        *Bool             `json:"gravatar_disabled,omitempty"`
}

// Name is the profile's name object; its keys come from the EL example
// (spec 1.6).
type Name struct {
	Formatted string `json:"formatted,omitempty"`
	First     string `json:"first,omitempty"`
	Middle    string `json:"middle,omitempty"`
	Last      string `json:"last,omitempty"`
}

// JSON encodes the profile as a Pull endpoint serves it.
func (p Profile) JSON() ([]byte, error) { return json.Marshal(p) }

// fields are the documented top-level fields, sorted.
var fields = [...]string{
	"autofollow_conversations", "bio", "display_name", "display_rules", "email",
	"email_notifications", "gravatar_disabled", "id", "image_url", "location",
	"moderator", "name", "profile_url", "settings_url", "tags", "websites",
}

// Fields are the documented top-level fields of a pull response, sorted
// (spec 1.6). Livefyre ignores any other field (spec 6.15). It is a copy:
// changing it does not change what Check reports.
var Fields = slices.Clone(fields[:])

// documented reports whether a top-level field is in spec 1.6.
func documented(field string) bool {
	_, ok := slices.BinarySearch(fields[:], field)
	return ok
}
