package refapp

import (
	"bytes"
	"context"
	"errors"
	"testing"
)

func FuzzHook(f *testing.F) {
	for _, seed := range []string{
		`{"id":"u-0001","display_name":"A"}`,
		`{"id":"nobody","display_name":"A"}`,
		`{"id":"user.0002","tags":["x"],"autofollow_conversations":"true","display_rules":{"bio":false}}`,
		`{"id":"u-0001","name":{"first":"A"},"websites":[]}`,
		`{"id":"u-0001"} {}`,
		`null`,
		`{"id":"u-0001","email_notifications":{"comments":"often"},"moderator":true}`,
	} {
		f.Add([]byte(seed))
	}
	s, err := newServer(Config{Network: "test.fyre.co", Key: "k", Users: SyntheticUsers(4)})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		s.users, _ = newUsers(SyntheticUsers(4)) // every input starts from the same users
		u, err := decodeUpdate(bytes.NewReader(body))
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("decode error %v is not ErrInvalid", err)
			}
			return
		}
		_, known := s.User(u.ID)
		p, err := s.Update(context.Background(), u)
		switch {
		case !known && !errors.Is(err, ErrUnknownUser):
			t.Fatalf("update of unknown user %q: got %v, want ErrUnknownUser", u.ID, err)
		case err == nil && p.ID != u.ID:
			t.Fatalf("updated %q, asked for %q", p.ID, u.ID)
		case err == nil:
			body, _ := s.users.body(u.ID)
			if _, err := s.profiles.Check(body, u.ID); err != nil {
				t.Fatalf("accepted an update that serves an invalid profile: %v\n%s", err, body)
			}
		}
	})
}
