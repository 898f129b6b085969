package livefyre_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"p4p/livefyre"
)

// stream is an event stream as the mock writes it, plus a comment, a
// multi-line data field, CRLF line ends, a retry and an unknown field.
const stream = ": p4p mock Livefyre events\n\n" +
	"event: ping.accepted\nid: 1\ndata: {\"type\":\"ping.accepted\",\"time\":\"2024-05-01T10:00:00Z\",\"user_id\":\"u-1\",\"pull_id\":\"p-1\"}\n\n" +
	": keep-alive\n\n" +
	"event: pull.started\r\nid: 2\r\nretry: 10\r\nfoo: bar\r\ndata: {\"type\":\"pull.started\",\r\ndata:  \"time\":\"2024-05-01T10:00:01Z\",\r\ndata: \"user_id\":\"u-1\",\"attempt\":1}\r\n\r\n" +
	"event: profile.updated\nid: 3\ndata: {\"time\":\"2024-05-01T10:00:02Z\",\"user_id\":\"u-1\",\"latency_ms\":2000}\n\n" +
	": dropped: this client fell behind\n\n" +
	"event: pull.failed\ndata: {\"type\":\"pull.failed\"" // incomplete: never dispatched

func TestEvents(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/events" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, stream)
	})
	s, err := f.client().Events(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var got []livefyre.Event
	for ev := range s.C {
		got = append(got, ev)
	}
	at := func(sec int) time.Time { return time.Date(2024, 5, 1, 10, 0, sec, 0, time.UTC) }
	want := []livefyre.Event{
		{Type: livefyre.PingAccepted, Time: at(0), UserID: "u-1", PullID: "p-1"},
		{Type: livefyre.PullStarted, Time: at(1), UserID: "u-1", Attempt: 1},
		{Type: livefyre.ProfileUpdated, Time: at(2), UserID: "u-1", LatencyMS: 2000},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if err := s.Err(); !errors.Is(err, livefyre.ErrStreamEnded) {
		t.Errorf("Err() = %v, want ErrStreamEnded", err)
	}
}

func TestEventsClose(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "event: ping.accepted\ndata: {\"user_id\":\"u-1\"}\n\n")
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := f.client().Events(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ev := <-s.C; ev.Type != livefyre.PingAccepted || ev.UserID != "u-1" {
		t.Errorf("got %+v, want ping.accepted for u-1", ev)
	}
	cancel()
	for range s.C {
	}
	s.Close()
	s.Close()
	if err := s.Err(); err != nil {
		t.Errorf("Err() after the context ended = %v, want nil", err)
	}
}

func TestEventsErrors(t *testing.T) {
	tests := []struct {
		name   string
		answer http.HandlerFunc
	}{
		{"status", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusForbidden) }},
		{"content type", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "{}") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, tt.answer)
			if s, err := f.client().Events(context.Background()); err == nil {
				s.Close()
				t.Fatal("got no error")
			}
		})
	}
}

func TestEventsBadData(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "id: 9\ndata: not json\n\n")
	})
	s, err := f.client().Events(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for ev := range s.C {
		t.Errorf("got event %+v from bad data", ev)
	}
	if err := s.Err(); err == nil || errors.Is(err, livefyre.ErrStreamEnded) {
		t.Errorf("Err() = %v, want a decoding error", err)
	}
}
