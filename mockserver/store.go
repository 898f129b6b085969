package mockserver

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/nats-io/nats.go/jetstream"

	"p4p/livefyre"
)

// Key-value buckets: remote profiles by user, and the network's settings.
const (
	profilesBucket = "p4p_profiles"
	settingsBucket = "p4p_settings"
	pullURLKey     = "pull_profile_url"
)

// store keeps remote profiles and the registered Pull URL.
type store struct {
	js       jetstream.JetStream // for the listing's consumers (listing.go)
	profiles jetstream.KeyValue
	settings jetstream.KeyValue
	template atomic.Pointer[string] // the Pull URL, kept current by a watcher
	watcher  jetstream.KeyWatcher
}

func openStore(ctx context.Context, js jetstream.JetStream, t *topology) (*store, error) {
	s := &store{js: js}
	var err error
	s.profiles, err = t.bucket(ctx, js, jetstream.KeyValueConfig{
		Bucket: profilesBucket, Storage: jetstream.FileStorage,
	})
	if err != nil {
		return nil, fmt.Errorf("bucket %s: %w", profilesBucket, err)
	}
	s.settings, err = t.bucket(ctx, js, jetstream.KeyValueConfig{
		Bucket: settingsBucket, Storage: jetstream.FileStorage,
	})
	if err != nil {
		return nil, fmt.Errorf("bucket %s: %w", settingsBucket, err)
	}
	// The watcher sees registrations made through any mock sharing the
	// bucket. It lives until close.
	if s.watcher, err = s.settings.Watch(context.Background(), pullURLKey); err != nil {
		return nil, fmt.Errorf("watch %s: %w", pullURLKey, err)
	}
	if err := s.awaitTemplate(ctx); err != nil {
		return nil, err
	}
	go s.followTemplate()
	return s, nil
}

// awaitTemplate reads the watcher up to its initial nil marker, so the
// template is known before the first pull.
func (s *store) awaitTemplate(ctx context.Context) error {
	for {
		select {
		case e, ok := <-s.watcher.Updates():
			if !ok {
				return errors.New("settings watcher closed")
			}
			if e == nil {
				return nil
			}
			s.observe(e)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (s *store) followTemplate() {
	for e := range s.watcher.Updates() {
		if e != nil {
			s.observe(e)
		}
	}
}

func (s *store) observe(e jetstream.KeyValueEntry) {
	if e.Operation() == jetstream.KeyValuePut {
		t := string(e.Value())
		s.template.Store(&t)
	}
}

func (s *store) close() {
	if s.watcher != nil {
		s.watcher.Stop()
	}
}

// Template returns the registered Pull URL, or "".
func (s *store) Template() string {
	if t := s.template.Load(); t != nil {
		return *t
	}
	return ""
}

func (s *store) setTemplate(ctx context.Context, t string) error {
	if _, err := s.settings.PutString(ctx, pullURLKey, t); err != nil {
		return fmt.Errorf("store pull URL: %w", err)
	}
	s.template.Store(&t)
	return nil
}

func profileKey(id string) string { return base64.RawURLEncoding.EncodeToString([]byte(id)) }

// get returns the user's remote profile; ok is false if none is stored.
func (s *store) get(ctx context.Context, id string) (rp livefyre.RemoteProfile, ok bool, err error) {
	e, err := s.profiles.Get(ctx, profileKey(id))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return livefyre.RemoteProfile{ID: id}, false, nil
	}
	if err != nil {
		return rp, false, fmt.Errorf("get profile %s: %w", id, err)
	}
	if err := json.Unmarshal(e.Value(), &rp); err != nil {
		return rp, false, fmt.Errorf("decode profile %s: %w", id, err)
	}
	return rp, true, nil
}

// errChanged says a sync record changed since it was read.
var errChanged = errors.New("the sync record changed since it was read")

// isConflict reports whether err refused a write conditional on a key's
// revision: the key exists, or is at another revision. A replicated
// stream answers the latter with code 10164, which nats.go does not map
// to ErrKeyExists on every path.
func isConflict(err error) bool {
	var apiErr *jetstream.APIError
	return errors.Is(err, jetstream.ErrKeyExists) || errors.Is(err, jetstream.ErrKeyRevisionMismatch) ||
		errors.As(err, &apiErr) && (apiErr.ErrorCode == 10071 || apiErr.ErrorCode == 10164)
}

// getRevision is get, with the record's revision (0 if none is stored),
// for putRevision.
func (s *store) getRevision(ctx context.Context, id string) (livefyre.RemoteProfile, uint64, error) {
	rp := livefyre.RemoteProfile{ID: id}
	e, err := s.profiles.Get(ctx, profileKey(id))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return rp, 0, nil
	}
	if err != nil {
		return rp, 0, fmt.Errorf("get profile %s: %w", id, err)
	}
	if err := json.Unmarshal(e.Value(), &rp); err != nil {
		return rp, 0, fmt.Errorf("decode profile %s: %w", id, err)
	}
	return rp, e.Revision(), nil
}

// putRevision stores rp if the user's record is still at revision (0: if
// none is stored), or returns errChanged.
func (s *store) putRevision(ctx context.Context, rp livefyre.RemoteProfile, revision uint64) error {
	data, err := json.Marshal(rp)
	if err != nil {
		return err
	}
	if revision == 0 {
		_, err = s.profiles.Create(ctx, profileKey(rp.ID), data)
	} else {
		_, err = s.profiles.Update(ctx, profileKey(rp.ID), data, revision)
	}
	if isConflict(err) {
		return errChanged
	}
	if err != nil {
		return fmt.Errorf("store profile %s: %w", rp.ID, err)
	}
	return nil
}
