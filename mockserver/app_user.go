package mockserver

import (
	"net/http"
	"time"
)

// appUser is the app's view of one user (GET /admin/v1/users/{id}/app):
// the author entry the default collection's bootstrap shows as of its
// last refresh, found without walking the bootstrap's pages. Studio's
// page sets it beside the stored profile, each with its age.
type appUser struct {
	CollectionID  string    `json:"collection_id"`
	SiteID        string    `json:"site_id"`
	ArticleID     string    `json:"article_id"`
	RefreshedAt   time.Time `json:"refreshed_at"`
	NextRefreshAt time.Time `json:"next_refresh_at"`
	// Author is nil when the bootstrap shows no comment by the user: the
	// user's first profile was stored after the refresh, or none was.
	Author *author `json:"author"`
	// ShownUpdatedAt is when the profile the author entry comes from was
	// stored.
	ShownUpdatedAt *time.Time `json:"shown_updated_at,omitempty"`
}

func (s *Server) handleUserApp(w http.ResponseWriter, r *http.Request, _ admin) {
	id := r.PathValue("id")
	if err := checkUserID(id); err != nil {
		respondError(w, err)
		return
	}
	rp, stored, err := s.store.get(r.Context(), id)
	if err != nil {
		respondError(w, s.adminReadFailed("profile", err))
		return
	}
	c := s.appview.collection(DefaultSiteID, DefaultArticleID, time.Now())
	v := appUser{CollectionID: c.id, SiteID: c.siteID, ArticleID: c.articleID,
		RefreshedAt: c.refreshed.UTC(), NextRefreshAt: c.next.UTC()}
	if stored {
		if shown, at, ok := asOf(rp, c.refreshed); ok {
			a := authorOf(rp.ID, s.cfg.Network, shown)
			at = at.UTC()
			v.Author, v.ShownUpdatedAt = &a, &at
		}
	}
	respond(w, http.StatusOK, v)
}
