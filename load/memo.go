package load

import (
	"hash/maphash"
	"sync/atomic"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"p4p/profile"
)

// validBodies remembers, for each user, a hash of the last body that
// passed validation, so that a byte-identical body — the usual answer
// for a profile that has not changed — gets the verdict it got before
// without being parsed again. Every response is still judged: the status
// and Content-Type are checked each time, and a body that differs in any
// byte is validated in full. The validation depends on nothing but the
// body and the id, so only a hash collision (a chance of 2^-64 per
// response, the hash seeded afresh each run) could pass an invalid body.
// Memory is 8 bytes a user whatever the run's length.
type validBodies struct {
	seed   maphash.Seed
	hashes []atomic.Uint64 // 0: nothing remembered
}

func newValidBodies(users int) *validBodies {
	return &validBodies{seed: maphash.MakeSeed(), hashes: make([]atomic.Uint64, users)}
}

// judge is pullVerdict for user i, remembering valid bodies.
func (m *validBodies) judge(v *profile.Validator, r *vegeta.Result, i int, id string) verdict {
	if r.Code != 200 || !isJSON(r.Headers.Get("Content-Type")) {
		return pullVerdict(v, r, id)
	}
	h := maphash.Bytes(m.seed, r.Body) | 1 // never 0
	if m.hashes[i].Load() == h {
		return verdict{}
	}
	verdict := pullVerdict(v, r, id)
	if verdict.valid() {
		m.hashes[i].Store(h)
	}
	return verdict
}
