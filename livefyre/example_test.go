package livefyre_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"p4p/livefyre"
	"p4p/mockserver"
	"p4p/refapp"
)

// A customer pings Livefyre after a user changed their profile; Livefyre
// then pulls the profile from the registered Pull URL. Here Livefyre is
// p4p's mock and the customer's site p4p's reference endpoint, both
// in-process.
func ExampleClient_Ping() {
	const network, key = "example.fyre.co", "network-key"
	mock, err := mockserver.Start(mockserver.Config{Network: network, Key: key})
	if err != nil {
		log.Fatal(err)
	}
	defer mock.Close()
	users := refapp.SyntheticUsers(1)
	site, err := refapp.Start(refapp.Config{Network: network, Key: key, Users: users})
	if err != nil {
		log.Fatal(err)
	}
	defer site.Close()

	c := &livefyre.Client{BaseURL: mock.URL, Network: network, Key: key}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Register(ctx, site.PullTemplate()); err != nil {
		log.Fatal(err)
	}
	events, err := c.Events(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer events.Close()
	res, err := c.Ping(ctx, users[0].ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("pull queued for", res.UserID)
	for ev := range events.C {
		if ev.Type == livefyre.ProfileUpdated && ev.PullID == res.PullID {
			fmt.Println("profile stored for", ev.UserID)
			break
		}
	}
	// Output:
	// pull queued for u-0001
	// profile stored for u-0001
}
