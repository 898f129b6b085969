package refapp

import (
	"fmt"

	"p4p/profile"
)

// Word lists the synthetic users are made from.
var (
	firstNames  = []string{"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia", "Niklaus"}
	lastNames   = []string{"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Perlman", "Wirth"}
	locations   = []string{"London", "New York", "Zürich", "Amsterdam", "São Paulo", "Tokyo", "Nairobi"}
	frequencies = []string{"immediately", "often", "never"}
	notifyKeys  = []string{"comments", "replies", "likes", "moderator_comments", "moderator_flags"}
	ruleKeys    = []string{"bio", "location", "gender", "name", "image", "remote_profile_url"}
)

// SyntheticUsers makes n users with every documented profile field set to
// a valid value (spec 1.6). It is deterministic, and user i is the same
// whatever n is. Ids cycle through forms with '-', '.', '_' and digits:
// "u-0001", "user.0002", "user_0003", "a.b-c_0004", "u-0005", …
func SyntheticUsers(n int) []profile.Profile {
	users := make([]profile.Profile, max(n, 0))
	for i := range users {
		users[i] = syntheticUser(i + 1)
	}
	return users
}

func syntheticUser(i int) profile.Profile {
	id := fmt.Sprintf([]string{"u-%04d", "user.%04d", "user_%04d", "a.b-c_%04d"}[(i-1)%4], i)
	first, last := firstNames[i%len(firstNames)], lastNames[(i/len(firstNames))%len(lastNames)]
	middle := string(rune('A' + i%26))
	site := "https://www.example.org/users/" + id
	tags := []string{"member"}
	if i%3 == 0 {
		tags = append(tags, "beta_tester")
	}
	return profile.Profile{
		ID:          id,
		DisplayName: fmt.Sprintf("%s %s %d", first, last, i),
		Name:        &profile.Name{Formatted: first + " " + middle + " " + last, First: first, Middle: middle, Last: last},
		Email:       id + "@example.org",
		ImageURL:    "https://images.example.org/avatars/" + id + ".png?v=1",
		ProfileURL:  site,
		SettingsURL: site + "/settings",
		Tags:        tags,
		// Half the users say their booleans as the strings "true" and
		// "false", as the docs' example does (spec 6.11).
		AutofollowConversations: &profile.Bool{Value: i%4 != 0, AsString: i%2 == 0},
		EmailNotifications:      notifications(i),
		Location:                locations[i%len(locations)],
		Bio:                     fmt.Sprintf("Synthetic user %d of p4p's reference integrator.", i),
		Websites:                []string{site, fmt.Sprintf("https://blog.example.net/%s", id)},
		DisplayRules:            displayRules(i),
		Moderator:               &profile.Bool{Value: i%10 == 0, AsString: i%2 == 0},
		GravatarDisabled:        &profile.Bool{Value: i%5 == 0, AsString: i%2 == 0},
	}
}

func notifications(i int) map[string]string {
	m := make(map[string]string, len(notifyKeys))
	for k, key := range notifyKeys {
		m[key] = frequencies[(i+k)%len(frequencies)]
	}
	return m
}

func displayRules(i int) map[string]profile.Bool {
	m := make(map[string]profile.Bool, len(ruleKeys))
	for k, key := range ruleKeys {
		m[key] = profile.Bool{Value: (i+k)%3 != 0, AsString: i%2 == 0}
	}
	return m
}
