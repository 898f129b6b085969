package refapp_test

import (
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"

	"p4p/refapp"
)

func TestSyntheticUsers(t *testing.T) {
	v := newValidator(t)
	users := refapp.SyntheticUsers(200)
	idPattern := regexp.MustCompile(`^[a-zA-Z0-9_.-]+$`)
	seen := map[string]bool{}
	var strings, bools int
	for _, p := range users {
		if !idPattern.MatchString(p.ID) || seen[p.ID] {
			t.Errorf("id %q: not unique or not [a-zA-Z0-9_.-]+", p.ID)
		}
		seen[p.ID] = true
		body, err := p.JSON()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := v.Check(body, p.ID); err != nil {
			t.Errorf("%s fails the profile schema: %v\n%s", p.ID, err, body)
		}
		if p.Name == nil || p.Name.Middle == "" || len(p.Websites) != 2 || len(p.EmailNotifications) != 5 ||
			len(p.DisplayRules) != 6 || p.Moderator == nil || p.GravatarDisabled == nil || p.Bio == "" {
			t.Errorf("%s: a documented field is missing: %+v", p.ID, p)
		}
		if p.AutofollowConversations.AsString {
			strings++
		} else {
			bools++
		}
	}
	if strings == 0 || bools == 0 {
		t.Errorf("%d users with string booleans and %d with JSON ones, want both", strings, bools)
	}
	wantIDs := []string{"u-0001", "user.0002", "user_0003", "a.b-c_0004", "u-0005"}
	var gotIDs []string
	for _, p := range users[:5] {
		gotIDs = append(gotIDs, p.ID)
	}
	if diff := cmp.Diff(wantIDs, gotIDs); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(users[:10], refapp.SyntheticUsers(10)); diff != "" {
		t.Errorf("SyntheticUsers(10) is not a prefix of SyntheticUsers(200):\n%s", diff)
	}
	if n := len(refapp.SyntheticUsers(-1)); n != 0 {
		t.Errorf("SyntheticUsers(-1) has %d users", n)
	}
}
