package mockserver

import (
	studiofs "embed"
	"io/fs"
	"net/http"
)

// The Studio > Users console at /studio/ (docs/STUDIO.md): a static page
// embedded in the binary that reads the admin API with the session
// cookie. It loads nothing from elsewhere, and the Content-Security-Policy
// below holds it to that: scripts, styles, images and fetches from the
// mock only, no inline script, no framing.

//go:embed studio
var studioFiles studiofs.FS

// studioCSP is the console's Content-Security-Policy.
const studioCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func (s *Server) studioRoutes(mux *http.ServeMux) {
	sub, _ := fs.Sub(studioFiles, "studio")
	files := http.StripPrefix("/studio/", http.FileServer(http.FS(sub)))
	mux.Handle("/studio", http.RedirectHandler("/studio/", http.StatusMovedPermanently))
	mux.HandleFunc("/studio/", func(w http.ResponseWriter, r *http.Request) {
		if !allow(w, r, http.MethodGet, http.MethodHead) {
			return
		}
		h := w.Header()
		h.Set("Content-Security-Policy", studioCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}
