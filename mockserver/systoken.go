package mockserver

import (
	"sync"
	"time"

	"p4p/token"
)

// tokenReuse is how long a minted system token is given to further pulls.
// Building and signing one costs about 10 µs, a share of a pull worth
// saving when pulls run by the thousand a second; a token this young is
// as fresh as one minted for the pull (its lifetime is a day, spec 2.1).
const tokenReuse = time.Second

// systemTokens mints the pulls' system tokens, one per tokenReuse of the
// mock's clock: a clock that moves back, or on by tokenReuse, mints anew.
type systemTokens struct {
	network, key string
	now          func() time.Time

	mu     sync.Mutex
	tok    string
	minted time.Time
}

func (s *systemTokens) get() (string, error) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok != "" && !now.Before(s.minted) && now.Sub(s.minted) < tokenReuse {
		return s.tok, nil
	}
	tok, err := token.System(s.network, s.key, token.DefaultTTL, now)
	if err != nil {
		return "", err
	}
	s.tok, s.minted = tok, now
	return tok, nil
}
