package refapp

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"strings"

	"p4p"
	"p4p/profile"
)

// maxHookBody bounds a POST /hook body.
const maxHookBody = 64 << 10

// Update is a change to one user, the body of POST /hook: the id and the
// profile fields to set, with the profile's JSON names. Fields left nil
// are kept as they are.
type Update struct {
	ID                      string                  `json:"id"`
	DisplayName             *string                 `json:"display_name,omitempty"`
	Name                    *profile.Name           `json:"name,omitempty"`
	Email                   *string                 `json:"email,omitempty"`
	ImageURL                *string                 `json:"image_url,omitempty"`
	ProfileURL              *string                 `json:"profile_url,omitempty"`
	SettingsURL             *string                 `json:"settings_url,omitempty"`
	Tags                    *[]string               `json:"tags,omitempty"`
	AutofollowConversations *profile.Bool           `json:"autofollow_conversations,omitempty"`
	EmailNotifications      map[string]string       `json:"email_notifications,omitempty"`
	Location                *string                 `json:"location,omitempty"`
	Bio                     *string                 `json:"bio,omitempty"`
	Websites                *[]string               `json:"websites,omitempty"`
	DisplayRules            map[string]profile.Bool `json:"display_rules,omitempty"`
	Moderator               *profile.Bool           `json:"moderator,omitempty"`
	GravatarDisabled        *profile.Bool           `json:"gravatar_disabled,omitempty"`
}

// decodeUpdate reads one Update from a hook body: one JSON object with no
// field Update lacks and nothing after it.
func decodeUpdate(r io.Reader) (Update, error) {
	var u Update
	err := p4p.DecodeJSON(r, &u)
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return Update{}, fmt.Errorf("%w: over %d bytes", errTooLarge, tooLarge.Limit)
	case err != nil:
		return Update{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return u, u.check()
}

// check enforces what holds whatever the user: an id, and a display name
// that is not blank if it is given.
func (u Update) check() error {
	switch {
	case u.ID == "":
		return fmt.Errorf("%w: id missing", ErrInvalid)
	case u.DisplayName != nil && strings.TrimSpace(*u.DisplayName) == "":
		return fmt.Errorf("%w: display_name is empty", ErrInvalid)
	}
	return nil
}

// apply sets the fields u gives.
func (u Update) apply(p *profile.Profile) {
	setString(&p.DisplayName, u.DisplayName)
	setString(&p.Email, u.Email)
	setString(&p.ImageURL, u.ImageURL)
	setString(&p.ProfileURL, u.ProfileURL)
	setString(&p.SettingsURL, u.SettingsURL)
	setString(&p.Location, u.Location)
	setString(&p.Bio, u.Bio)
	if u.Name != nil {
		n := *u.Name
		p.Name = &n
	}
	if u.Tags != nil {
		p.Tags = append([]string{}, *u.Tags...)
	}
	if u.Websites != nil {
		p.Websites = append([]string{}, *u.Websites...)
	}
	if u.EmailNotifications != nil {
		p.EmailNotifications = maps.Clone(u.EmailNotifications)
	}
	if u.DisplayRules != nil {
		p.DisplayRules = maps.Clone(u.DisplayRules)
	}
	setBool(&p.AutofollowConversations, u.AutofollowConversations)
	setBool(&p.Moderator, u.Moderator)
	setBool(&p.GravatarDisabled, u.GravatarDisabled)
}

func setString(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}

func setBool(dst **profile.Bool, v *profile.Bool) {
	if v != nil {
		b := *v
		*dst = &b
	}
}
