package p4p

import "strconv"

// PullID names one pull of a user's profile, as the mock Livefyre hands
// it out in a ping's answer and its events: the sequence number of the
// pull in the mock's queue, in decimal.
type PullID string

// AtLeast says whether pull a is pull b or a later one. A user's pulls
// run one after another, so a later pull started only after b ended: its
// end answers for b's when b's own end went unseen (it fell in a gap of
// the events). Ids that are not sequence numbers, from another Livefyre,
// match only themselves.
func (a PullID) AtLeast(b PullID) bool {
	x, errA := strconv.ParseUint(string(a), 10, 64)
	y, errB := strconv.ParseUint(string(b), 10, 64)
	if errA != nil || errB != nil {
		return a == b
	}
	return x >= y
}
