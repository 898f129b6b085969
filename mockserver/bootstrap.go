package mockserver

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/nats-io/nats.go/jetstream"

	"p4p/livefyre"
)

// Bootstrap (spec 8.3): GET /bs3/v3.1/{network}/{siteId}/{base64url(articleId)}/init,
// the iOS form without v3.1, and page N as N.json in place of init.
//
// Content is synthetic: every user with a remote profile has one comment
// in each collection. Pages follow the profiles' listing order (listing.go):
// page N holds the profiles whose latest write has a stream sequence in
// [N*BootstrapPageSize+1, (N+1)*BootstrapPageSize], read by store.page, so
// any page costs at most one page of reads whatever the network's size.
// The number of pages follows the store's last sequence when the page is
// read, so a user updated since the refresh (whose record moved to the end)
// is still on a page, shown as of the refresh (collections.go). Page 0 is
// init's content; a page may be short, or empty, where profiles were
// rewritten since.
const (
	// BootstrapPageSize is the stream sequences, so at most the comments,
	// per bootstrap page.
	BootstrapPageSize = 50
	// maxSiteID and maxArticleID bound the path's ids (articleId decoded).
	maxSiteID    = 64
	maxArticleID = 1024
	// maxPageNumber bounds N in N.json.
	maxPageNumber = 1_000_000_000
)

// bootstrapFile is what a bootstrap path asks for.
type bootstrapFile struct {
	siteID, articleID string
	page              int // -1 for init
}

// parseBootstrapPath reads a bootstrap path's siteId, base64 articleId and
// file ("init" or "N.json").
func parseBootstrapPath(siteID, article64, file string) (bootstrapFile, error) {
	f := bootstrapFile{siteID: siteID, page: -1}
	if err := checkSiteID(siteID); err != nil {
		return f, err
	}
	var err error
	if f.articleID, err = decodeArticleID(article64); err != nil {
		return f, err
	}
	if file == "init" {
		return f, nil
	}
	n, ok := strings.CutSuffix(file, ".json")
	if !ok || n == "" || len(n) > 10 || (len(n) > 1 && n[0] == '0') || strings.TrimLeft(n, "0123456789") != "" {
		return f, errorf(ENotFound, "no such bootstrap file: want init or N.json")
	}
	if f.page, err = strconv.Atoi(n); err != nil || f.page >= maxPageNumber {
		return f, errorf(ENotFound, "no such bootstrap page")
	}
	return f, nil
}

// checkSiteID allows the ids Livefyre sites have (numbers) and a little
// more: 1 to maxSiteID letters, digits, '-' and '_'.
func checkSiteID(s string) error {
	if s == "" || len(s) > maxSiteID {
		return errorf(EInvalid, "siteId must be 1 to %d characters", maxSiteID)
	}
	for _, c := range []byte(s) {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_') {
			return errorf(EInvalid, "siteId may hold letters, digits, '-' and '_'")
		}
	}
	return nil
}

// decodeArticleID decodes a base64 articleId in either alphabet, padded
// or not (iOS sends standard base64, the JS client either; spec 8.2, 8.3).
// A space stands for '+', which a query string that was not escaped turns
// into one. The id must be 1 to maxArticleID bytes of UTF-8 without
// control characters.
func decodeArticleID(s string) (string, error) {
	if s == "" || len(s) > base64.StdEncoding.EncodedLen(maxArticleID) {
		return "", errorf(EInvalid, "articleId must be the base64 of 1 to %d bytes", maxArticleID)
	}
	s = strings.TrimRight(strings.ReplaceAll(s, " ", "+"), "=")
	std, url := strings.ContainsAny(s, "+/"), strings.ContainsAny(s, "-_")
	if std && url {
		return "", errorf(EInvalid, "articleId mixes the two base64 alphabets")
	}
	s = strings.NewReplacer("+", "-", "/", "_").Replace(s)
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) == 0 || len(b) > maxArticleID {
		return "", errorf(EInvalid, "articleId must be the base64 of 1 to %d bytes", maxArticleID)
	}
	if !utf8.Valid(b) || strings.ContainsFunc(string(b), func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "", errorf(EInvalid, "articleId must be UTF-8 text without control characters")
	}
	return string(b), nil
}

// handleBootstrap serves a collection's init or one of its pages.
func (s *Server) handleBootstrap(w http.ResponseWriter, r *http.Request) {
	if !allow(w, r, http.MethodGet, http.MethodHead) {
		return
	}
	if r.PathValue("network") != s.cfg.Network {
		respondError(w, errorf(ENotFound, "no such network"))
		return
	}
	f, err := parseBootstrapPath(r.PathValue("site"), r.PathValue("article"), r.PathValue("file"))
	if err != nil {
		respondError(w, err)
		return
	}
	c := s.appview.collection(f.siteID, f.articleID, time.Now())
	pages, err := s.store.bootstrapPages(r.Context())
	if err != nil {
		s.bootstrapFailed(w, err)
		return
	}
	n := max(f.page, 0)
	if n >= pages {
		respondError(w, errorf(ENotFound, "no page %d: the collection has %d", n, pages))
		return
	}
	content, err := s.bootstrapPage(r.Context(), c, n)
	if err != nil {
		s.bootstrapFailed(w, err)
		return
	}
	if f.page >= 0 {
		writeJSON(w, http.StatusOK, content)
		return
	}
	base := strings.TrimSuffix(r.URL.Path, "init")
	writeJSON(w, http.StatusOK, bootstrapInit{
		CollectionSettings: collectionSettings{CollectionID: c.id, NetworkID: s.cfg.Network, SiteID: c.siteID,
			ArticleID: c.articleID, Event: c.refreshed.UnixMicro(), RefreshedAt: c.refreshed.UTC(), NextRefreshAt: c.next.UTC(),
			ArchiveInfo: archiveInfo{NPages: pages, PathBase: base}},
		HeadDocument: content,
	})
}

func (s *Server) bootstrapFailed(w http.ResponseWriter, err error) {
	s.log.Error("bootstrap", "err", err)
	respondError(w, errorf(EUnavailable, "could not read the profiles; try again"))
}

// The bootstrap files' shapes (spec 8.3; the SDK-JS and iOS fixtures).
type (
	bootstrapInit struct {
		CollectionSettings collectionSettings `json:"collectionSettings"`
		HeadDocument       bootstrapContent   `json:"headDocument"`
	}
	collectionSettings struct {
		CollectionID string      `json:"collectionId"`
		NetworkID    string      `json:"networkId"`
		SiteID       string      `json:"siteId"`
		ArticleID    string      `json:"articleId"`
		ArchiveInfo  archiveInfo `json:"archiveInfo"`
		Event        int64       `json:"event"` // the refresh, in Unix microseconds
		// p4p's own: when this bootstrap was regenerated, and when it will be next.
		RefreshedAt   time.Time `json:"p4pRefreshedAt"`
		NextRefreshAt time.Time `json:"p4pNextRefreshAt"`
	}
	archiveInfo struct {
		NPages   int    `json:"nPages"`
		PathBase string `json:"pathBase"`
	}
	bootstrapContent struct {
		Content []contentItem     `json:"content"`
		Authors map[string]author `json:"authors"`
	}
	contentItem struct {
		Vis          int     `json:"vis"`
		Type         int     `json:"type"`
		Event        int64   `json:"event"`
		Source       int     `json:"source"`
		ChildContent []any   `json:"childContent"`
		Content      comment `json:"content"`
	}
	comment struct {
		ID        string `json:"id"`
		ParentID  string `json:"parentId"`
		AuthorID  string `json:"authorId"`
		BodyHTML  string `json:"bodyHtml"`
		CreatedAt int64  `json:"createdAt"`
		UpdatedAt int64  `json:"updatedAt"`
	}
)

// bootstrapPages is how many pages every collection has now.
func (st *store) bootstrapPages(ctx context.Context) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, listingTimeout)
	defer cancel()
	status, err := st.profiles.Status(ctx)
	if err != nil {
		return 0, fmt.Errorf("profiles status: %w", err)
	}
	kv, ok := status.(*jetstream.KeyValueBucketStatus)
	if !ok {
		return 0, errors.New("profiles status: not a JetStream bucket")
	}
	last := kv.StreamInfo().State.LastSeq
	return max(1, int((last+BootstrapPageSize-1)/BootstrapPageSize)), nil
}

// bootstrapPage builds page n of collection c as of its last refresh.
func (s *Server) bootstrapPage(ctx context.Context, c collection, n int) (bootstrapContent, error) {
	from := uint64(n)*BootstrapPageSize + 1
	p, err := s.store.page(ctx, from, BootstrapPageSize)
	if err != nil {
		return bootstrapContent{}, err
	}
	out := bootstrapContent{Content: []contentItem{}, Authors: map[string]author{}}
	for i, raw := range p.profiles {
		if p.seqs[i] >= from+BootstrapPageSize {
			break
		}
		var rp livefyre.RemoteProfile
		if err := json.Unmarshal(raw, &rp); err != nil {
			return out, fmt.Errorf("profile at %d: %w", p.seqs[i], err)
		}
		shown, at, ok := asOf(rp, c.refreshed)
		if !ok {
			continue
		}
		a := authorOf(rp.ID, s.cfg.Network, shown)
		out.Authors[a.ID] = a
		out.Content = append(out.Content, contentItem{Vis: 1, Event: c.refreshed.UnixMicro(), ChildContent: []any{},
			Content: comment{ID: collectionID(s.cfg.Network, c.id, rp.ID), AuthorID: a.ID,
				BodyHTML: "<p>A comment by " + rp.ID + ".</p>", CreatedAt: at.Unix(), UpdatedAt: at.Unix()}})
	}
	return out, nil
}

// asOf is the profile a bootstrap regenerated at r shows for rp, and when
// it was stored; ok is false if rp had no profile then (collections.go).
func asOf(rp livefyre.RemoteProfile, r time.Time) (json.RawMessage, time.Time, bool) {
	if len(rp.Profile) == 0 || rp.Sync.LastUpdateAt == nil {
		return nil, time.Time{}, false
	}
	if !rp.Sync.LastUpdateAt.After(r) {
		return rp.Profile, *rp.Sync.LastUpdateAt, true
	}
	if rp.Previous != nil {
		return rp.Previous.Profile, rp.Previous.UpdatedAt, true
	}
	return nil, time.Time{}, false
}
