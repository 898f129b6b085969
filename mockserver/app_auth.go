package mockserver

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"time"

	"p4p/livefyre"
	"p4p/token"
)

// The Auth API (spec 8.2): GET /api/v3.0/auth/?lftoken=<user token>, what
// the logged-in user's app reads. Optional: collectionId, or siteId and a
// base64 articleId; callback for JSONP, which always answers HTTP 200 with
// the status in the body's code.

// maxCallback bounds a JSONP callback name.
const maxCallback = 128

// authData is the Auth API's data (the AUTH-LF and iOS fixtures).
type authData struct {
	Profile       appProfile      `json:"profile"`
	Token         authToken       `json:"token"`
	IsModAnywhere bool            `json:"isModAnywhere"`
	ModScopes     modScopes       `json:"modScopes"`
	CollectionID  string          `json:"collection_id,omitempty"`
	Permissions   *map[string]any `json:"permissions,omitempty"`
	Version       string          `json:"version"`
}

type authToken struct {
	Value string `json:"value"`
	TTL   int64  `json:"ttl"` // seconds
}

type modScopes struct {
	Collections []string `json:"collections"`
	Networks    []string `json:"networks"`
	Sites       []string `json:"sites"`
}

// checkCallback allows a JSONP callback that is a dotted JavaScript
// identifier path (letters, digits, '_' and '$'), as jQuery and AUTH-LF
// name theirs; anything else could inject script.
func checkCallback(cb string) error {
	if cb == "" || len(cb) > maxCallback {
		return errorf(EInvalid, "callback must be 1 to %d characters", maxCallback)
	}
	start := true
	for _, c := range []byte(cb) {
		switch {
		case c == '.':
			if start {
				return errorf(EInvalid, "callback must be a dotted JavaScript name")
			}
			start = true
		case c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			start = false
		case c >= '0' && c <= '9' && !start:
		default:
			return errorf(EInvalid, "callback must be a dotted JavaScript name")
		}
	}
	if start {
		return errorf(EInvalid, "callback must be a dotted JavaScript name")
	}
	return nil
}

// handleAuth answers the Auth API.
func (s *Server) handleAuth(w http.ResponseWriter, r *http.Request) {
	if !allow(w, r, http.MethodGet, http.MethodHead) {
		return
	}
	q := r.URL.Query()
	cb := q.Get("callback")
	if _, jsonp := q["callback"]; jsonp {
		if err := checkCallback(cb); err != nil {
			respondError(w, err) // not as JSONP: the name is not safe to call
			return
		}
	}
	data, err := s.auth(r.Context(), q)
	if cb == "" {
		if err != nil {
			respondError(w, err)
			return
		}
		respond(w, http.StatusOK, data)
		return
	}
	env := livefyre.Envelope{Status: "ok", Code: http.StatusOK}
	if err != nil {
		e, status := errorStatus(err)
		env = livefyre.Envelope{Status: "error", Code: status, Msg: e.Msg}
	} else if env.Data, err = json.Marshal(data); err != nil {
		env = livefyre.Envelope{Status: "error", Code: http.StatusInternalServerError, Msg: "internal error"}
	}
	body, _ := json.Marshal(env)
	w.Header().Set("Content-Type", "application/javascript; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write([]byte("/**/" + cb + "(" + string(body) + ");\n"))
}

// auth validates the user token and builds the answer. The token is
// never logged nor quoted in an error.
func (s *Server) auth(ctx context.Context, q url.Values) (authData, error) {
	now := s.cfg.Now()
	tok := q.Get("lftoken")
	claims, err := s.userTokens.Validate(tok)
	if err != nil {
		return authData{}, &Error{Code: EForbidden, Msg: "lftoken invalid: " + tokenReason(err)}
	}
	data := authData{IsModAnywhere: false, ModScopes: modScopes{Collections: []string{}, Networks: []string{}, Sites: []string{}},
		Version: "p4p",
		// The user's own token, back to the same user: Livefyre answered
		// with a token it minted (30 days in the fixtures); the mock mints
		// no credential, so ttl is what is left of the one it was sent.
		Token: authToken{Value: tok, TTL: int64(math.Max(0, math.Floor(claims.Expires-float64(now.UnixNano())/1e9)))}}
	if data.CollectionID, err = s.authCollection(q, now); err != nil {
		return authData{}, err
	}
	if data.CollectionID != "" {
		data.Permissions = &map[string]any{}
	}
	rp, _, err := s.store.get(ctx, claims.UserID)
	if err != nil {
		s.log.Error("auth: get profile", "user_id", claims.UserID, "err", err)
		return authData{}, errorf(EUnavailable, "could not read the profile; try again")
	}
	data.Profile, _ = appView(claims.UserID, s.cfg.Network, rp.Profile)
	// The token's display_name takes precedence over the pulled profile
	// (spec 1.1, 8.1).
	if claims.DisplayName != "" {
		data.Profile.DisplayName = claims.DisplayName
	}
	return data, nil
}

// authCollection is the collection the request names, if any: by
// collectionId (one the mock keeps), or by siteId and articleId (made if
// new).
func (s *Server) authCollection(q url.Values, now time.Time) (string, error) {
	if id := q.Get("collectionId"); id != "" {
		c, ok := s.appview.byCollectionID(id, now)
		if !ok {
			return "", errorf(ENotFound, "no such collection")
		}
		return c.id, nil
	}
	site, article := q.Get("siteId"), q.Get("articleId")
	if site == "" && article == "" {
		return "", nil
	}
	if err := checkSiteID(site); err != nil {
		return "", err
	}
	articleID, err := decodeArticleID(article)
	if err != nil {
		return "", err
	}
	return s.appview.collection(site, articleID, now).id, nil
}

// userTokenValidator accepts user auth tokens of the mock's network.
func userTokenValidator(cfg Config) token.Validator {
	return token.Validator{Network: cfg.Network, Key: cfg.Key, AnyUser: true, Now: cfg.Now}
}
