package conformance_test

import (
	"context"
	"fmt"
	"log"

	"p4p/conformance"
)

// Execute runs one spec without Ginkgo: here against the reference
// endpoint broken so that it serves profiles to callers without a token.
func ExampleExecute() {
	env, err := conformance.Start(context.Background(), conformance.Config{Fault: "no-auth"})
	if err != nil {
		log.Fatal(err)
	}
	defer env.Close()
	spec, _ := conformance.Lookup("P4P-AUTH-001")
	res := conformance.Execute(context.Background(), env, spec)
	fmt.Println(res.ID, res.Outcome)
	fmt.Println(res.Evidence[0].Response.Status)
	// Output:
	// P4P-AUTH-001 failed
	// 200
}
