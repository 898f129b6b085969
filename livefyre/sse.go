package livefyre

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxEventBytes bounds one line, and one event's data, of an event stream.
const MaxEventBytes = 1 << 20

// maxComment is how much of a comment line the reader keeps.
const maxComment = 256

// sseMessage is one dispatched Server-Sent Event.
type sseMessage struct {
	Type string // "event:", or "message" when there was none
	ID   string // the last "id:" seen on the stream
	Data string // the "data:" lines joined with "\n"
}

// sseReader parses a text/event-stream as the HTML standard's "event
// stream interpretation" does: lines end in CRLF, LF or CR; a blank line
// dispatches; ":" starts a comment; unknown fields are ignored; an event
// still incomplete at the end of the stream is dropped.
type sseReader struct {
	sc     *bufio.Scanner
	lastID string
	// dispatchedID is lastID as of the latest blank line, an event's or
	// not: the last event ID an EventSource would report.
	dispatchedID string
	comment      string // the latest comment, cut to maxComment bytes
	started      bool
}

func newSSEReader(r io.Reader) *sseReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), MaxEventBytes)
	sc.Split(scanSSELines)
	return &sseReader{sc: sc}
}

// next returns the next event; io.EOF at the end of the stream.
func (s *sseReader) next() (sseMessage, error) {
	var typ string
	var data strings.Builder
	for s.sc.Scan() {
		line := s.sc.Bytes()
		if !s.started {
			s.started = true
			line = bytes.TrimPrefix(line, []byte("\uFEFF"))
		}
		if len(line) == 0 {
			s.dispatchedID = s.lastID
			if data.Len() == 0 {
				typ = ""
				continue
			}
			return s.dispatch(typ, data.String()), nil
		}
		if err := s.field(line, &typ, &data); err != nil {
			return sseMessage{}, err
		}
	}
	if err := s.sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return sseMessage{}, fmt.Errorf("event stream line longer than %d bytes", MaxEventBytes)
		}
		return sseMessage{}, err
	}
	return sseMessage{}, io.EOF
}

// field applies one non-blank line to the event being built.
func (s *sseReader) field(line []byte, typ *string, data *strings.Builder) error {
	name, value, _ := bytes.Cut(line, []byte(":"))
	value = bytes.TrimPrefix(value, []byte(" "))
	switch string(name) {
	case "":
		s.comment = string(value[:min(len(value), maxComment)])
	case "event":
		*typ = string(value)
	case "data":
		if data.Len()+len(value)+1 > MaxEventBytes {
			return fmt.Errorf("event stream event data longer than %d bytes", MaxEventBytes)
		}
		data.Write(value)
		data.WriteByte('\n')
	case "id":
		if !bytes.ContainsRune(value, 0) {
			s.lastID = string(value)
		}
	}
	return nil // "retry" and unknown fields are ignored
}

func (s *sseReader) dispatch(typ, data string) sseMessage {
	if typ == "" {
		typ = "message"
	}
	return sseMessage{Type: typ, ID: s.lastID, Data: strings.TrimSuffix(data, "\n")}
}

// scanSSELines splits at CRLF, LF or a lone CR, without the terminator.
func scanSSELines(data []byte, atEOF bool) (advance int, line []byte, err error) {
	i := bytes.IndexAny(data, "\r\n")
	switch {
	case i < 0 && atEOF && len(data) > 0:
		return len(data), data, nil
	case i < 0:
		return 0, nil, nil
	case data[i] == '\n':
		return i + 1, data[:i], nil
	case i+1 < len(data) && data[i+1] == '\n':
		return i + 2, data[:i], nil
	case i+1 < len(data) || atEOF:
		return i + 1, data[:i], nil
	}
	return 0, nil, nil // a CR at the end: wait to see if LF follows
}
