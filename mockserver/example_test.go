package mockserver_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"p4p/livefyre"
	"p4p/mockserver"
	"p4p/refapp"
)

// A mock Livefyre and the reference integrator: the integrator registers
// its Pull URL at start, an update through its hook pings the mock, and
// the mock pulls and stores the new profile.
func ExampleStart() {
	const network, key = "example.fyre.co", "example-network-key"
	mock, err := mockserver.Start(mockserver.Config{Network: network, Key: key})
	if err != nil {
		log.Fatal(err)
	}
	defer mock.Close()
	app, err := refapp.Start(refapp.Config{Network: network, Key: key, Livefyre: mock.URL, Register: true,
		Users: refapp.SyntheticUsers(3)})
	if err != nil {
		log.Fatal(err)
	}
	defer app.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	client := &livefyre.Client{BaseURL: mock.URL, Network: network, Key: key}
	events, err := client.Events(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer events.Close()
	id := refapp.SyntheticUsers(1)[0].ID
	if _, err := app.Update(ctx, refapp.Update{ID: id, DisplayName: ptr("Ada")}); err != nil {
		log.Fatal(err)
	}
	for ev := range events.C {
		if ev.Type == livefyre.ProfileUpdated {
			break
		}
	}
	rp, err := client.Profile(ctx, id)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rp.Sync.Outcome)
	// Output: succeeded
}

func ptr[T any](v T) *T { return &v }
