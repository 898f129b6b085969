package mockserver

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// dueHeader carries a pending pull's due time (Unix nanoseconds) beside
// the job, so that the mover can tell a pull not yet due, and nak it with
// its delay, without decoding the job (with --delay 1h every ping's pull is
// such a pull, once).
const dueHeader = "P4P-Due"

// encodeJob is json.Marshal(j), the same bytes, without reflection: it
// runs once for every ping. A user id is checked before it is queued
// (p4p.UserID), so it needs no escaping; one that would is encoded by
// encoding/json all the same.
func encodeJob(j job) ([]byte, error) {
	if !plainJSON(j.UserID) || !plainJSON(j.PullID) {
		return json.Marshal(j)
	}
	b := make([]byte, 0, 112+len(j.UserID)+len(j.PullID))
	b = append(b, `{"user_id":"`...)
	b = append(b, j.UserID...)
	b = append(b, `","pinged_at":`...)
	b, err := appendTimeJSON(b, j.PingedAt)
	if err != nil {
		return json.Marshal(j) // its error, as json.Marshal words it
	}
	b = append(b, `,"due":`...)
	if b, err = appendTimeJSON(b, j.Due); err != nil {
		return json.Marshal(j)
	}
	if j.PullID != "" {
		b = append(b, `,"pull_id":"`...)
		b = append(b, j.PullID...)
		b = append(b, '"')
	}
	return append(b, '}'), nil
}

// appendTimeJSON appends t as time.Time.MarshalJSON writes it.
func appendTimeJSON(b []byte, t time.Time) ([]byte, error) {
	b = append(b, '"')
	b, err := t.AppendText(b)
	return append(b, '"'), err
}

// plainJSON reports whether s is written in JSON as it is, between quotes,
// by encoding/json (which also escapes <, > and &).
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}

// pendingMsg is a pending pull as published: the job, its due time in a
// header, and its message id.
func pendingMsg(subject, msgID string, data []byte, due time.Time) *nats.Msg {
	m := idMsg(subject, msgID, data)
	m.Header[dueHeader] = []string{strconv.FormatInt(due.UnixNano(), 10)}
	return m
}

// dueIn is how long until a pending message is due, read from its
// header; false when it has none that reads (a message queued before the
// header was), and then the job says.
func dueIn(m jetstream.Msg) (time.Duration, bool) {
	v := m.Headers()[dueHeader]
	if len(v) != 1 {
		return 0, false
	}
	n, err := strconv.ParseInt(v[0], 10, 64)
	if err != nil {
		return 0, false
	}
	return time.Until(time.Unix(0, n)), true
}
