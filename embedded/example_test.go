package embedded_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"time"

	"p4p/embedded"
	"p4p/livefyre"
)

// Start the mock Livefyre and the reference endpoint, ping Livefyre for a
// user, and read the profile Livefyre pulled and stored.
func Example() {
	p, err := embedded.Start(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	lf := p.Livefyre()
	events, err := lf.Events(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer events.Close()
	id := p.Users[0].ID
	if _, err := lf.Ping(ctx, id); err != nil {
		log.Fatal(err)
	}
	for ev := range events.C {
		if ev.UserID == id && ev.Type == livefyre.ProfileUpdated {
			break
		}
	}
	stored, err := lf.Profile(ctx, id)
	if err != nil {
		log.Fatal(err)
	}
	var profile struct {
		DisplayName string `json:"display_name"`
	}
	json.Unmarshal(stored.Profile, &profile)
	fmt.Println(id, "stored as", profile.DisplayName)
	// Output: u-0001 stored as Grace Lovelace 1
}
