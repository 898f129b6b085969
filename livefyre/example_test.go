package livefyre_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"p4p/livefyre"
)

// A customer pings Livefyre after a user changed their profile; Livefyre
// then pulls the profile from the registered Pull URL. This needs a mock
// Livefyre on 127.0.0.1:8080 (p4p mock), so it has no Output.
func ExampleClient_Ping() {
	c := &livefyre.Client{BaseURL: "http://127.0.0.1:8080", Network: "example.fyre.co", Key: "network-key"}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Register(ctx, "https://app.example.org/pull?id={id}"); err != nil {
		log.Fatal(err)
	}
	res, err := c.Ping(ctx, "u-1001")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("pull", res.PullID, "queued for", res.UserID)
}
