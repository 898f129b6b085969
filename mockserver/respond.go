package mockserver

import (
	"encoding/json"
	"net/http"

	"p4p/livefyre"
)

// respond writes data in Livefyre's v3 envelope (spec 4).
func respond(w http.ResponseWriter, code int, data any) {
	raw, err := json.Marshal(data)
	if err != nil {
		respondError(w, err)
		return
	}
	writeJSON(w, code, livefyre.Envelope{Status: "ok", Code: code, Data: raw})
}

// respondError writes err with the status errorStatus gives it, and
// Retry-After when the error will pass.
func respondError(w http.ResponseWriter, err error) {
	e, status := errorStatus(err)
	if wait, ok := retryAfterOf[e.Code]; ok {
		w.Header().Set("Retry-After", wait)
	}
	writeJSON(w, status, livefyre.Envelope{Status: "error", Code: status, Msg: e.Msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// allow answers 405 unless the request uses one of the methods.
func allow(w http.ResponseWriter, r *http.Request, methods ...string) bool {
	for _, m := range methods {
		if r.Method == m {
			return true
		}
	}
	for _, m := range methods {
		w.Header().Add("Allow", m)
	}
	respondError(w, errorf(EMethod, "%s %s: method not allowed", r.Method, r.URL.Path))
	return false
}
