package profile_test

import (
	"errors"
	"fmt"
	"log"

	"p4p/profile"
)

func ExampleValidator_Check() {
	v, err := profile.NewValidator(profile.Limits{})
	if err != nil {
		log.Fatal(err)
	}

	// FT's endpoint sent its names at the top level (spec 5.1).
	doc, err := v.Check([]byte(`{"id": "u-1", "display_name": "Ada", "first_name": "Ada", "autofollow_conversations": "false"}`), "u-1")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(doc.DisplayName, doc.Ignored, string(doc.Raw))

	_, err = v.Check([]byte(`{"id": "u-1", "display_name": "Ada", "tags": ["bad tag!"]}`), "u-1")
	fmt.Println(errors.Is(err, profile.ErrSchema), err)

	_, err = v.Check([]byte(`{"id": "U-1", "display_name": "Ada"}`), "u-1")
	fmt.Println(errors.Is(err, profile.ErrIDMismatch), err)
	// Output:
	// Ada [first_name] {"id":"u-1","display_name":"Ada","first_name":"Ada","autofollow_conversations":"false"}
	// true response is not valid: /tags/0: "bad tag!" does not match ^[A-Za-z0-9_]{1,63}$ (spec 1.6)
	// true response id differs from the requested id: /id: got "U-1", want "u-1"; ids are compared exactly (spec 1.6)
}
