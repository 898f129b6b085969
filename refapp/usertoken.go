package refapp

import (
	"errors"
	"net/http"
	"time"

	"p4p"
	"p4p/token"
)

// UserTokenPath is the reference site's user-token endpoint: GET
// /token?id={id} answers {"token": …}, the userAuthToken the site's SSO
// would hand that user if they logged in now (spec 8.1), minted with the
// user's current display name.
const UserTokenPath = "/token"

// UserTokenTTL is how long the user tokens /token mints last: an hour,
// as Livefyre's WordPress plugin minted them on every page (spec 8.1).
const UserTokenTTL = time.Hour

// userTokenAnswer is the body of GET /token's 200.
type userTokenAnswer struct {
	Token string `json:"token"`
}

// handleUserToken mints a user auth token for the user ?id names with
// the display name the user has now; with FaultStaleUserToken, with the
// one the user had the first time a token was asked for. Like /hook, it
// stands in for a logged-in session and checks no credential: the
// reference site is a test double on loopback.
func (s *Server) handleUserToken(w http.ResponseWriter, r *http.Request) {
	if !allow(w, r, http.MethodGet) {
		return
	}
	id := r.URL.Query().Get("id")
	if err := p4p.UserID(id).Validate(); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	p, ok := s.users.get(id)
	if !ok {
		writeError(w, http.StatusNotFound, ErrUnknownUser)
		return
	}
	name := s.tokenName(id, p.DisplayName)
	tok, err := token.User(s.cfg.Network, s.cfg.Key, id, name, UserTokenTTL, time.Now(), token.StyleInteger)
	if err != nil {
		writeError(w, http.StatusInternalServerError, errors.New("minting the user token failed"))
		return
	}
	s.log.Info("user token issued", "id", id, "token", token.Redact(tok))
	writeJSON(w, http.StatusOK, userTokenAnswer{Token: tok})
}

// tokenName is the display name a token for id carries: current, or,
// with FaultStaleUserToken, the first one a token was minted with.
func (s *Server) tokenName(id, current string) string {
	if s.cfg.Fault != FaultStaleUserToken {
		return current
	}
	name, _ := s.tokenNames.LoadOrStore(id, current)
	return name.(string)
}
