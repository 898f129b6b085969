package mockserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
)

// params holds a request's parameters from the query string and the body.
type params struct {
	query, body url.Values
	bodyErr     error // the body could not be parsed
}

// readParams reads the query string and the body, whatever the
// Content-Type says: the SDKs send parameters in the query (JAVA, the EL
// docs), in a urlencoded body (NODE, PHP, RUBY), in a urlencoded body
// labelled application/json (PY 2.0.3), or in a malformed one (CS); spec
// 3.2, 3.3, 6.2, 6.3. A body that is a JSON object of strings is read too.
func readParams(w http.ResponseWriter, r *http.Request, maxBytes int) (params, error) {
	p := params{query: r.URL.Query()}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, int64(maxBytes)))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return p, errorf(ETooLarge, "request body over %d bytes", maxBytes)
	}
	if err != nil {
		return p, errorf(EInvalid, "reading the request body failed")
	}
	p.body, p.bodyErr = parseBody(data)
	return p, nil
}

func parseBody(data []byte) (url.Values, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return url.Values{}, nil
	}
	if data[0] == '{' {
		var fields map[string]any
		if err := json.Unmarshal(data, &fields); err == nil {
			v := url.Values{}
			for k, x := range fields {
				if s, ok := x.(string); ok {
					v.Set(k, s)
				}
			}
			return v, nil
		}
	}
	// ParseQuery keeps every well-formed pair and reports the first bad
	// one; the CS SDK's body "https://…&lftoken=…" still yields lftoken.
	return url.ParseQuery(string(data))
}

// get returns the first non-empty value of any of the names, looking in
// the query first (where the EL docs put it), then the body.
func (p params) get(names ...string) string {
	for _, vs := range []url.Values{p.query, p.body} {
		for _, n := range names {
			if v := vs.Get(n); v != "" {
				return v
			}
		}
	}
	return ""
}
