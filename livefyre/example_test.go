package livefyre_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"p4p/embedded"
	"p4p/livefyre"
)

// A customer registers their Pull URL, then pings Livefyre after a user
// changed their profile; Livefyre then pulls the profile from the Pull
// URL. Here Livefyre is p4p's mock and the customer's site p4p's
// reference endpoint, both in-process in an embedded pipeline that leaves
// the registration to the client.
func ExampleClient_Ping() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := embedded.Start(ctx, embedded.WithoutRegistration())
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close()

	c := &livefyre.Client{BaseURL: p.LivefyreURL, Network: p.Network, Key: p.Key}
	if err := c.Register(ctx, p.PullURL); err != nil {
		log.Fatal(err)
	}
	events, err := c.Events(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer events.Close()
	res, err := c.Ping(ctx, p.Users[0].ID)
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
