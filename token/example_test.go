package token_test

import (
	"fmt"
	"time"

	"p4p/token"
)

func ExampleValidator_Validate() {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tok, _ := token.System("example.fyre.co", "network-key", token.DefaultTTL, now)
	v := token.Validator{Network: "example.fyre.co", Key: "network-key", Now: func() time.Time { return now }}
	c, err := v.Validate(tok)
	fmt.Println(c.UserID, c.ExpiresAt().UTC(), err)

	v.Key = "another-key"
	_, err = v.Validate(tok)
	fmt.Println(err)
	// Output:
	// system 2026-01-02 00:00:00 +0000 UTC <nil>
	// token signature invalid
}
