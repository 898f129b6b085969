package mockserver

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"strings"
)

// An /events id names one event as this mock numbered it on arrival:
// "{origin}-{seq}", the origin a random name of this mock drawn at start
// and seq counting from 1. A follower resumes from the id it saw last
// (Last-Event-ID); an id of another origin (a mock since restarted, or
// another replica) cannot be resumed from and is a gap.
type eventID struct {
	origin string
	seq    uint64
}

// originLen is the length of an origin: 12 hex digits.
const originLen = 12

// maxEventIDLen bounds a Last-Event-ID the mock reads: an origin, a dash
// and the 20 digits of the largest uint64.
const maxEventIDLen = originLen + 1 + 20

func newOrigin() string {
	b := make([]byte, originLen/2)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func (id eventID) String() string {
	return id.origin + "-" + strconv.FormatUint(id.seq, 10)
}

// parseEventID reads an id as String writes it, and nothing else: 12
// lower-case hex digits, a dash, a decimal number without sign or
// leading zeros.
func parseEventID(s string) (eventID, bool) {
	if len(s) > maxEventIDLen {
		return eventID{}, false
	}
	origin, seq, ok := strings.Cut(s, "-")
	if !ok || len(origin) != originLen || strings.Trim(origin, "0123456789abcdef") != "" {
		return eventID{}, false
	}
	if seq == "" || len(seq) > 1 && seq[0] == '0' || strings.Trim(seq, "0123456789") != "" {
		return eventID{}, false
	}
	n, err := strconv.ParseUint(seq, 10, 64)
	if err != nil {
		return eventID{}, false
	}
	return eventID{origin: origin, seq: n}, true
}
