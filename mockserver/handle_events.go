package mockserver

import (
	"fmt"
	"net/http"
	"time"
)

// keepAlive is how often an idle /events stream gets a comment line, so
// proxies and clients can tell a quiet pipeline from a dead connection.
const keepAlive = 15 * time.Second

// handleEvents streams pipeline events as Server-Sent Events: "event:" the
// type, "id:" a sequence number of this stream, "data:" the livefyre.Event
// JSON. ?user_id= limits the stream to one user.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	if !allow(w, r, http.MethodGet) {
		return
	}
	flusher, ok := w.(http.Flusher)
	if !ok {
		respondError(w, errorf(EInternal, "streaming unsupported"))
		return
	}
	c, err := s.events.subscribe(r.URL.Query().Get("user_id"))
	if err != nil {
		s.log.Error("events", "err", err)
		respondError(w, errorf(EUnavailable, "cannot follow events now; try again"))
		return
	}
	defer s.events.unsubscribe(c)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, ": p4p mock Livefyre events\n\n")
	flusher.Flush()
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for seq := uint64(1); ; {
		select {
		case data := <-c.c:
			if _, err := fmt.Fprintf(w, "event: %s\nid: %d\ndata: %s\n\n", eventType(data), seq, data); err != nil {
				return
			}
			seq++
			if len(c.c) == 0 {
				flusher.Flush()
			}
		case <-tick.C:
			fmt.Fprint(w, ": keep-alive\n\n")
			flusher.Flush()
		case <-c.dropped:
			fmt.Fprintf(w, ": dropped: this client fell %d events behind\n\n", eventBuffer)
			flusher.Flush()
			return
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		}
	}
}

// eventType reads "type" from an event's JSON without decoding all of it.
func eventType(data []byte) string {
	const key = `{"type":"`
	if len(data) > len(key) && string(data[:len(key)]) == key {
		rest := data[len(key):]
		for i, b := range rest {
			if b == '"' {
				return string(rest[:i])
			}
		}
	}
	return "message"
}
