package mockserver

import (
	"encoding/json"

	"p4p/profile"
)

// appProfile is a profile as Livefyre's apps read it: the Auth API's
// data.profile and, with Tags and Type, a bootstrap authors entry (spec
// 8.2, 8.3). Keys are camelCase.
type appProfile struct {
	ID          string  `json:"id"` // a JID, user@network
	DisplayName string  `json:"displayName"`
	Avatar      string  `json:"avatar"`
	ProfileURL  *string `json:"profileUrl"` // null in the Auth API fixture when unknown
	SettingsURL *string `json:"settingsUrl,omitempty"`
}

// author is a bootstrap authors entry (spec 8.3).
type author struct {
	ID          string   `json:"id"`
	DisplayName string   `json:"displayName"`
	Avatar      string   `json:"avatar"`
	ProfileURL  string   `json:"profileUrl"` // "" in the bootstrap fixture when unknown
	Tags        []string `json:"tags"`
	Type        int      `json:"type"` // 1 in every fixture: a user
}

// jid is a user's id as the apps know it, user@network (spec 8.2).
func jid(userID, network string) string { return userID + "@" + network }

// appView maps a pulled profile (the Pull endpoint's snake_case fields,
// spec 1.6) to what the apps show. The mapping is an inference: Livefyre
// documents the apps' camelCase keys (spec 8.2, from the Auth API and
// bootstrap fixtures) but not where each comes from. p4p reads
// display_name → displayName, image_url → avatar, profile_url →
// profileUrl, settings_url → settingsUrl and tags → tags, the evident
// reading. This is the one place that says so; the Auth API and the
// bootstrap authors both use it. A profile that does not decode (the mock
// stored what the endpoint sent, validated) gives an entry with only the
// user id, which the app shows by its handle.
func appView(userID, network string, raw json.RawMessage) (appProfile, []string) {
	var p profile.Profile
	if len(raw) > 0 {
		json.Unmarshal(raw, &p) // validated when stored; fields that do not decode stay empty
	}
	ap := appProfile{ID: jid(userID, network), DisplayName: p.DisplayName, Avatar: p.ImageURL}
	if p.ProfileURL != "" {
		ap.ProfileURL = &p.ProfileURL
	}
	if p.SettingsURL != "" {
		ap.SettingsURL = &p.SettingsURL
	}
	return ap, p.Tags
}

// authorOf is the bootstrap authors entry for a pulled profile.
func authorOf(userID, network string, raw json.RawMessage) author {
	ap, tags := appView(userID, network, raw)
	a := author{ID: ap.ID, DisplayName: ap.DisplayName, Avatar: ap.Avatar, Tags: tags, Type: 1}
	if ap.ProfileURL != nil {
		a.ProfileURL = *ap.ProfileURL
	}
	if a.Tags == nil {
		a.Tags = []string{}
	}
	return a
}
