package refapp_test

import (
	"fmt"
	"log"
	"strings"

	"p4p/refapp"
)

// Start a reference integrator with the default synthetic users; register
// its PullTemplate with Livefyre (or set Config.Livefyre and Register).
func ExampleStart() {
	s, err := refapp.Start(refapp.Config{Network: "example.fyre.co", Key: "network-key"})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	fmt.Println(strings.TrimPrefix(s.PullTemplate(), s.URL))
	p, _ := s.User("u-0001")
	fmt.Println(p.ID, p.DisplayName)
	// Output:
	// /pull?id={id}
	// u-0001 Grace Lovelace 1
}

// Start a reference integrator that makes one deliberate mistake.
func ExampleParseFault() {
	f, err := refapp.ParseFault("any-domain")
	if err != nil {
		log.Fatal(err)
	}
	s, err := refapp.Start(refapp.Config{Network: "example.fyre.co", Key: "network-key", Fault: f})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	_, err = refapp.ParseFault("nope")
	fmt.Println(err != nil)
	// Output:
	// true
}
