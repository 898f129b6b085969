package mockserver

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// The listing GET /profiles/ (spec 4), paged or not.
//
// Order: the profiles come in the order of the bucket's stream
// (KV_p4p_profiles), that is by the sequence of each profile's latest
// write, oldest first. The bucket keeps one revision per user, so each
// user's profile is one message, and a page is read by an ephemeral
// consumer that starts at the cursor's sequence: its cost is one consumer
// created and deleted and at most limit messages, whatever the total.
//
// What a client walking the pages sees while profiles change: every
// profile stored for the whole walk and not rewritten during it appears
// exactly once; one rewritten during the walk appears at least once, and
// may appear again (its new revision lies past the cursor), the later
// occurrence being the newer; a profile first stored during the walk may
// or may not appear. A client that keeps the last occurrence of each id
// ends with every profile as new as the walk's last page.
const (
	// DefaultPageSize is a page's size when the request names a cursor
	// but no limit, or a limit of 0.
	DefaultPageSize = 100
	// MaxPageSize is the largest limit a request may ask for.
	MaxPageSize = 1000
	// MaxUnpaged is how many profiles the unpaged form serves: past it,
	// the answer is 400 with a Link to the first page (see handleProfiles).
	MaxUnpaged = 10_000
	// maxPageBytes ends a page early once its profiles reach this size,
	// so that a page of large profiles stays bounded in memory.
	maxPageBytes = 8 << 20
	// maxCursor is the longest cursor parseListing reads.
	maxCursor = 64
	// cursorVersion is the first byte of every cursor, so that its form
	// can change while old cursors are refused plainly.
	cursorVersion = 1
	// listingTimeout bounds each store call of a listing.
	listingTimeout = 5 * time.Second
)

// listing is a parsed listing request.
type listing struct {
	paged bool   // limit or cursor given
	limit int    // profiles per page
	from  uint64 // the stream sequence to start at; 0 is the start
}

// parseListing reads limit and cursor, each given at most once: limit an
// integer from 0 to MaxPageSize (0 meaning DefaultPageSize), cursor one
// made by encodeCursor.
func parseListing(q url.Values) (listing, error) {
	l := listing{limit: DefaultPageSize}
	limits, cursors := q["limit"], q["cursor"]
	if len(limits) > 1 || len(cursors) > 1 {
		return l, errorf(EInvalid, "limit and cursor may each be given once")
	}
	l.paged = len(limits)+len(cursors) > 0
	if len(limits) == 1 {
		n, err := strconv.Atoi(limits[0])
		if err != nil || n < 0 || n > MaxPageSize || len(limits[0]) > 8 {
			return l, errorf(EInvalid, "limit must be an integer from 1 to %d", MaxPageSize)
		}
		if n > 0 {
			l.limit = n
		}
	}
	if len(cursors) == 1 {
		seq, err := decodeCursor(cursors[0])
		if err != nil {
			return l, errorf(EInvalid, "cursor is not one this server made: start again without it")
		}
		l.from = seq
	}
	return l, nil
}

// encodeCursor makes the opaque cursor for the page starting at seq.
func encodeCursor(seq uint64) string {
	var b [9]byte
	b[0] = cursorVersion
	binary.BigEndian.PutUint64(b[1:], seq)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func decodeCursor(c string) (uint64, error) {
	if len(c) > maxCursor {
		return 0, fmt.Errorf("cursor of %d bytes", len(c))
	}
	b, err := decodeB64(c)
	if err != nil {
		return 0, err
	}
	if len(b) != 9 || b[0] != cursorVersion {
		return 0, fmt.Errorf("cursor of %d bytes, not a version %d one", len(b), cursorVersion)
	}
	seq := binary.BigEndian.Uint64(b[1:])
	if seq == 0 {
		return 0, fmt.Errorf("cursor at sequence 0")
	}
	return seq, nil
}

// nextLink is the Link header for the page at cursor: a relative URL
// without the token, which the client adds (RFC 8288).
func nextLink(limit int, cursor string) string {
	q := url.Values{"limit": {strconv.Itoa(limit)}}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	return fmt.Sprintf(`</profiles/?%s>; rel="next"`, q.Encode())
}

// page is one page read from the store.
type page struct {
	profiles []json.RawMessage // each a livefyre.RemoteProfile as stored
	seqs     []uint64          // each profile's stream sequence
	next     uint64            // the sequence the next page starts at; 0 at the end
}

// page reads up to limit profiles from sequence from on (0: the start).
func (s *store) page(ctx context.Context, from uint64, limit int) (page, error) {
	if err := natsConnected(s.js.Conn()); err != nil {
		return page{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, listingTimeout)
	defer cancel()
	cfg := jetstream.ConsumerConfig{
		DeliverPolicy:     jetstream.DeliverAllPolicy,
		AckPolicy:         jetstream.AckNonePolicy,
		MemoryStorage:     true,
		Replicas:          1,
		InactiveThreshold: time.Minute, // in case the deletion below is lost
	}
	if from > 0 {
		cfg.DeliverPolicy, cfg.OptStartSeq = jetstream.DeliverByStartSequencePolicy, from
	}
	// No filter: the bucket's stream holds only its keys' subjects, and an
	// unfiltered consumer counts what is pending without visiting them.
	c, err := s.js.CreateConsumer(ctx, "KV_"+profilesBucket, cfg)
	if err != nil {
		return page{}, fmt.Errorf("list profiles: %w", err)
	}
	name := c.CachedInfo().Name
	defer func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), listingTimeout)
		defer cancel()
		s.js.DeleteConsumer(ctx, "KV_"+profilesBucket, name)
	}()
	pending := c.CachedInfo().NumPending
	if pending == 0 {
		return page{}, nil
	}
	return s.read(c, limit, pending)
}

// read fetches up to limit messages of a fresh consumer with pending
// messages and decodes the profiles among them.
func (s *store) read(c jetstream.Consumer, limit int, pending uint64) (page, error) {
	batch, err := c.FetchNoWait(limit)
	if err != nil {
		return page{}, fmt.Errorf("list profiles: %w", err)
	}
	var p page
	var size int
	var last jetstream.MsgMetadata
	for m := range batch.Messages() {
		if size >= maxPageBytes {
			continue // drained, not served: the next page starts at it
		}
		md, err := m.Metadata()
		if err != nil {
			return page{}, fmt.Errorf("list profiles: %w", err)
		}
		last = *md
		if op := m.Headers().Get("KV-Operation"); op != "" {
			continue // a deletion marker
		}
		// Served as stored, checked but not decoded: the mock wrote it.
		if !json.Valid(m.Data()) {
			return page{}, fmt.Errorf("profile at %d is not JSON", md.Sequence.Stream)
		}
		p.profiles = append(p.profiles, m.Data())
		p.seqs = append(p.seqs, md.Sequence.Stream)
		size += len(m.Data())
	}
	if err := batch.Error(); err != nil {
		return page{}, fmt.Errorf("list profiles: %w", err)
	}
	if last.Sequence.Stream == 0 {
		return page{}, fmt.Errorf("list profiles: the store sent none of %d pending profiles", pending)
	}
	if last.NumPending > 0 || size >= maxPageBytes {
		p.next = last.Sequence.Stream + 1
	}
	return p, nil
}

// count is how many profiles the store holds (deletion markers included),
// read from the stream's state without visiting them.
func (s *store) count(ctx context.Context) (uint64, error) {
	if err := natsConnected(s.js.Conn()); err != nil {
		return 0, err
	}
	ctx, cancel := context.WithTimeout(ctx, listingTimeout)
	defer cancel()
	st, err := s.profiles.Status(ctx)
	if err != nil {
		return 0, fmt.Errorf("count profiles: %w", err)
	}
	return st.Values(), nil
}
