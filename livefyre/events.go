package livefyre

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
)

// streamBuffer is how many decoded events a Stream holds for a slow reader
// before it stops reading the connection.
const streamBuffer = 256

// ResumedHeader is set to "true" on an /events answer that resumes after
// the Last-Event-ID asked for with no event missed.
const ResumedHeader = "P4P-Events-Resumed"

// maxLastID bounds the Last-Event-ID a client sends back.
const maxLastID = 256

// Stream is a followed GET /events. C delivers the events in order and is
// closed when the stream ends: by Close, by the end of the context given
// to Events, by the server, or by an error that Err then reports.
type Stream struct {
	C <-chan Event

	resumed bool
	cancel  context.CancelFunc
	ended   chan struct{} // closed once err and lastID are set, before C is closed
	done    chan struct{} // closed after C is closed
	err     error
	lastID  string
}

// Events follows GET /events, the mock's Server-Sent Events (one "event:"
// type, "id:" and "data:" Event JSON per event). It returns once the server
// has answered, so every event emitted afterwards is delivered. The
// stream is not bounded by the HTTP client's Timeout, only by ctx and
// Close.
func (c *Client) Events(ctx context.Context) (*Stream, error) {
	return c.EventsAfter(ctx, "")
}

// EventsAfter follows GET /events from after the event lastID, as a
// stream that ended left it (Stream.LastID): the mock replays the events
// since, if it still holds them, and Stream.Resumed says whether it did.
// An empty lastID, or one no server could have sent (longer than 256
// bytes, or with a control character), follows from now on.
func (c *Client) EventsAfter(ctx context.Context, lastID string) (*Stream, error) {
	const op = "events"
	ctx, cancel := context.WithCancel(ctx)
	resp, err := c.openEvents(ctx, lastID)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := expect(resp, op, http.StatusOK, ""); err != nil {
		cancel()
		return nil, err
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "text/event-stream" {
		drain(resp)
		cancel()
		return nil, fmt.Errorf("%s: Content-Type %q, want text/event-stream", op, mt)
	}
	ch := make(chan Event, streamBuffer)
	s := &Stream{C: ch, cancel: cancel, ended: make(chan struct{}), done: make(chan struct{}), lastID: lastID,
		resumed: lastID != "" && resp.Header.Get(ResumedHeader) == "true"}
	go s.follow(ctx, resp.Body, ch)
	return s, nil
}

func (c *Client) openEvents(ctx context.Context, lastID string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.endpoint("/events", nil), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "text/event-stream")
	if sendableID(lastID) {
		req.Header.Set("Last-Event-ID", lastID)
	}
	hc := *c.httpClient()
	hc.Timeout = 0
	return c.do(&hc, req)
}

// follow reads the stream until it ends. It sets err before it closes
// ch, so a reader that sees C closed always finds Err set.
func (s *Stream) follow(ctx context.Context, body io.ReadCloser, ch chan<- Event) {
	r := newSSEReader(body)
	r.lastID, r.dispatchedID = s.lastID, s.lastID
	err := s.read(ctx, r, ch)
	body.Close()
	if ctx.Err() != nil {
		err = nil // stopped by Close or the caller's context
	}
	s.err = err
	close(s.ended)
	close(ch)
	close(s.done)
}

// read delivers events until the stream ends, and leaves s.lastID the
// id of the last event delivered, or of the stream's position after it.
func (s *Stream) read(ctx context.Context, r *sseReader, ch chan<- Event) error {
	for {
		before := r.dispatchedID
		m, err := r.next()
		s.lastID = r.dispatchedID
		if err == io.EOF {
			return endedError(r.comment)
		}
		if err != nil {
			return fmt.Errorf("events: %w", err)
		}
		ev, err := decodeEvent(m)
		if err != nil {
			s.lastID = before
			return fmt.Errorf("events: event id %.32q: %w", m.ID, err)
		}
		select {
		case ch <- ev:
		case <-ctx.Done():
			s.lastID = before
			return nil
		}
	}
}

// sendableID says whether id can go back to the server as Last-Event-ID.
func sendableID(id string) bool {
	if id == "" || len(id) > maxLastID {
		return false
	}
	for _, c := range id {
		if c < ' ' || c == 0x7f {
			return false
		}
	}
	return true
}

// LastID is, once C is closed, the id of the last event C delivered, or
// the position the server gave the stream after it: what EventsAfter
// resumes from. It is "" if the server gave none.
func (s *Stream) LastID() string {
	select {
	case <-s.ended:
		return s.lastID
	default:
		return ""
	}
}

// Resumed says whether the server replayed every event after the lastID
// given to EventsAfter, so that nothing was missed between the streams.
// It is false for a stream opened by Events or from an id the server no
// longer holds.
func (s *Stream) Resumed() bool { return s.resumed }

// ErrStreamEnded is what Err reports when the server ended the stream.
var ErrStreamEnded = errors.New("the server ended the event stream")

// endedError is ErrStreamEnded with the server's last comment, which says
// why when the mock cut off a slow client.
func endedError(comment string) error {
	if comment == "" {
		return fmt.Errorf("events: %w", ErrStreamEnded)
	}
	return fmt.Errorf("events: %w (last comment %q)", ErrStreamEnded, comment)
}

// decodeEvent reads an Event from a message's data; an event without a
// "type" takes the SSE event name.
func decodeEvent(m sseMessage) (Event, error) {
	var ev Event
	if err := json.Unmarshal([]byte(m.Data), &ev); err != nil {
		return Event{}, fmt.Errorf("decoding data: %w", err)
	}
	if ev.Type == "" && m.Type != "message" {
		ev.Type = EventType(m.Type)
	}
	return ev, nil
}

// Err is why the stream ended, once C is closed: nil after Close or the
// end of the context; an error matching ErrStreamEnded if the server
// ended it; otherwise the read or decoding error. It is nil while the
// stream runs.
func (s *Stream) Err() error {
	select {
	case <-s.ended:
		return s.err
	default:
		return nil
	}
}

// Close stops the stream and waits until C is closed. It may be called
// more than once.
func (s *Stream) Close() {
	s.cancel()
	<-s.done
}
