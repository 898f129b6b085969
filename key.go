package p4p

import (
	"crypto/rand"
	"encoding/base64"
)

// NewKey makes a random network key shaped like real ones: 28 characters
// of base64, the encoding of 20 random bytes (spec 2.2). Tools that invent
// a network for themselves (the embedded pipeline, the demo) sign its
// tokens with it.
func NewKey() string {
	b := make([]byte, 20)
	rand.Read(b) // never fails: crypto/rand.Read crashes the program rather than return an error
	return base64.StdEncoding.EncodeToString(b)
}
