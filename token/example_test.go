package token_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"p4p/token"
)

func ExampleSystem() {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tok, err := token.System("example.fyre.co", "network-key", token.DefaultTTL, now)
	if err != nil {
		panic(err)
	}
	payload, _ := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[1])
	fmt.Println(string(payload))
	fmt.Println(token.Redact(tok))
	// Output:
	// {"display_name":"system","domain":"example.fyre.co","expires":1767312000,"user_id":"system"}
	// eyJhbGciOi…[redacted 204-byte token]
}

func ExampleValidator_Validate() {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tok, _ := token.System("example.fyre.co", "network-key", token.DefaultTTL, now)
	v := token.Validator{Network: "example.fyre.co", Key: "network-key", Now: func() time.Time { return now }}
	c, err := v.Validate(tok)
	fmt.Println(c.UserID, c.ExpiresAt().UTC(), err)

	v.Now = func() time.Time { return now.Add(25 * time.Hour) }
	_, err = v.Validate(tok)
	fmt.Println(errors.Is(err, token.ErrExpired))

	v.Key = "another-key"
	_, err = v.Validate(tok)
	fmt.Println(err)
	// Output:
	// system 2026-01-02 00:00:00 +0000 UTC <nil>
	// true
	// token signature invalid
}
