package mockserver

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"p4p/livefyre"
	"p4p/token"
)

// Admin sessions. The admin API takes the credential /profiles/ takes, a
// system or network owner token, in one of three ways: an Authorization
// Bearer header, an actor_token query parameter (scripts), or a session
// cookie that POST /admin/v1/session sets for a page in a browser.
//
// The cookie is not the token. It is a session id signed with HMAC-SHA256
// under a key derived from the network key: "v1|user|expiry|nonce" and its
// MAC. A cookie that leaks (a proxy log, a screenshot of the devtools)
// grants the admin API only, not pings or registration, and only until it
// expires: SessionTTL, or the token's own expiry if sooner. It needs no
// server-side store, so a session holds across a restart and across mocks
// sharing the network key; logging out revokes its nonce in memory until
// it would have expired (at most maxRevoked at once).
const (
	// SessionTTL is an admin session's longest life.
	SessionTTL = 12 * time.Hour
	// SessionCookie is the admin session cookie's name.
	SessionCookie = "p4p_admin"
	maxRevoked    = 10_000
	maxCookie     = 512
)

// sessions signs and checks session cookies.
type sessions struct {
	key []byte
	now func() time.Time

	mu      sync.Mutex
	revoked map[string]time.Time // nonce → expiry
}

func newSessions(networkKey string, now func() time.Time) *sessions {
	mac := hmac.New(sha256.New, []byte(networkKey))
	mac.Write([]byte("p4p admin session v1"))
	return &sessions{key: mac.Sum(nil), now: now, revoked: map[string]time.Time{}}
}

// issue makes a session cookie value for the token's user.
func (ss *sessions) issue(c token.Claims) (string, livefyre.Session) {
	exp := ss.now().Add(SessionTTL)
	if c.Expires > 0 && c.ExpiresAt().Before(exp) {
		exp = c.ExpiresAt()
	}
	nonce := make([]byte, 16)
	rand.Read(nonce)
	payload := strings.Join([]string{"v1", c.UserID, strconv.FormatInt(exp.Unix(), 10), hex.EncodeToString(nonce)}, "|")
	value := base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + base64.RawURLEncoding.EncodeToString(ss.sign(payload))
	return value, livefyre.Session{UserID: c.UserID, ExpiresAt: time.Unix(exp.Unix(), 0).UTC()}
}

func (ss *sessions) sign(payload string) []byte {
	mac := hmac.New(sha256.New, ss.key)
	mac.Write([]byte(payload))
	return mac.Sum(nil)
}

// check returns the session a cookie value carries, if it is genuine,
// current and not revoked; nonce identifies it for revocation.
func (ss *sessions) check(value string) (s livefyre.Session, nonce string, err error) {
	bad := errorf(EForbidden, "session invalid or expired: log in again")
	if len(value) > maxCookie {
		return s, "", bad
	}
	p64, m64, ok := strings.Cut(value, ".")
	payload, err1 := decodeB64(p64)
	mac, err2 := decodeB64(m64)
	if !ok || err1 != nil || err2 != nil || !hmac.Equal(mac, ss.sign(string(payload))) {
		return s, "", bad
	}
	f := strings.Split(string(payload), "|")
	if len(f) != 4 || f[0] != "v1" {
		return s, "", bad
	}
	exp, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil || !ss.now().Before(time.Unix(exp, 0)) {
		return s, "", bad
	}
	ss.mu.Lock()
	_, revoked := ss.revoked[f[3]]
	ss.mu.Unlock()
	if revoked {
		return s, "", bad
	}
	return livefyre.Session{UserID: f[1], ExpiresAt: time.Unix(exp, 0).UTC()}, f[3], nil
}

// revoke ends a session before its expiry.
func (ss *sessions) revoke(nonce string, exp time.Time) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	now := ss.now()
	for n, e := range ss.revoked {
		if !now.Before(e) {
			delete(ss.revoked, n)
		}
	}
	if len(ss.revoked) < maxRevoked {
		ss.revoked[nonce] = exp
	}
}

// setCookie sets (or, with value "", clears) the session cookie:
// HttpOnly, SameSite=Strict, Path=/, Secure when the request came over
// TLS.
func setCookie(w http.ResponseWriter, r *http.Request, value string, exp time.Time) {
	c := &http.Cookie{Name: SessionCookie, Value: value, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil}
	if value == "" {
		c.MaxAge = -1
	} else {
		c.Expires = exp
	}
	http.SetCookie(w, c)
}

// admin is how an admin request authenticated.
type admin struct {
	session livefyre.Session
	nonce   string // set when by cookie
}

// authorizeAdmin checks an admin request's credential: a Bearer token,
// an actor_token parameter, or a session cookie. A state-changing request
// authenticated by cookie must also come from the mock's own origin
// (sameOrigin).
func (s *Server) authorizeAdmin(r *http.Request) (admin, error) {
	tok := ""
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, t, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			return admin{}, errorf(EForbidden, "Authorization must be Bearer <token>")
		}
		tok = strings.TrimSpace(t)
	} else if t := r.URL.Query().Get("actor_token"); t != "" {
		tok = t
	}
	if tok != "" {
		c, err := s.tokens.Validate(tok)
		if err != nil {
			return admin{}, errorf(EForbidden, "token invalid: %s", tokenReason(err))
		}
		return admin{session: livefyre.Session{UserID: c.UserID, ExpiresAt: c.ExpiresAt().UTC()}}, nil
	}
	ck, err := r.Cookie(SessionCookie)
	if err != nil {
		return admin{}, errorf(EForbidden, "no credential: send Authorization: Bearer <system or owner token>, actor_token, or log in (POST /admin/v1/session)")
	}
	sess, nonce, err := s.session.check(ck.Value)
	if err != nil {
		return admin{}, err
	}
	if !safeMethod(r.Method) {
		if err := sameOrigin(r, true); err != nil {
			return admin{}, err
		}
	}
	return admin{session: sess, nonce: nonce}, nil
}

func safeMethod(m string) bool { return m == http.MethodGet || m == http.MethodHead }

// sameOrigin refuses a request a browser made from another site: its
// Sec-Fetch-Site, if sent, must be same-origin (or none: typed by the
// user), and its Origin, if sent, must be the mock's own. With required,
// a request carrying neither (no browser sends a cookie-bearing POST so
// since 2020) is refused too.
func sameOrigin(r *http.Request, required bool) error {
	site := r.Header.Get("Sec-Fetch-Site")
	origin := r.Header.Get("Origin")
	if site != "" && site != "same-origin" && site != "none" {
		return errorf(EForbidden, "cross-site request refused (Sec-Fetch-Site: %s)", cut(site, 32))
	}
	if origin != "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		if origin != fmt.Sprintf("%s://%s", scheme, r.Host) {
			return errorf(EForbidden, "cross-origin request refused")
		}
	}
	if required && site == "" && origin == "" {
		return errorf(EForbidden, "a state-changing request with a session cookie must carry Origin or Sec-Fetch-Site")
	}
	return nil
}
