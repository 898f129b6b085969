package livefyre

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"p4p"
	"p4p/token"
)

// DefaultTimeout bounds each request of a Client whose HTTP field is nil.
// Event streams are not bounded by it.
const DefaultTimeout = 10 * time.Second

// maxBody bounds the answers the client reads whole (one profile, one ping
// result); Profiles streams its array instead.
const maxBody = 16 << 20

// Client talks to a Livefyre quill API (p4p's mock), as the official SDKs
// did: every call carries a fresh system token (spec 3.3) for Network,
// signed with Key. A Client is safe for concurrent use.
type Client struct {
	// BaseURL is the API's root, e.g. "http://127.0.0.1:8080"; a trailing
	// slash is ignored.
	BaseURL string
	// Network is the full network name, e.g. "example.fyre.co", the
	// tokens' domain.
	Network string
	// Key is the network key.
	Key string
	// HTTP sends the requests; nil means a client with DefaultTimeout.
	HTTP *http.Client
	// Now is the clock the tokens are minted by; nil means time.Now.
	Now func() time.Time
	// Minted, when set, is called with every token the client mints,
	// before the token is sent, so that the caller can keep it out of
	// what it logs or reports.
	Minted func(tok string)
}

// defaultHTTP is shared by every Client without its own, so that
// concurrent pings reuse connections instead of opening one each.
var defaultHTTP = &http.Client{Timeout: DefaultTimeout, Transport: pooledTransport()}

func pooledTransport() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 128
	return t
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return defaultHTTP
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// systemToken mints the token every call sends (spec 2.1).
func (c *Client) systemToken() (string, error) {
	tok, err := token.System(c.Network, c.Key, token.DefaultTTL, c.now())
	if err != nil {
		return "", fmt.Errorf("system token: %w", err)
	}
	if c.Minted != nil {
		c.Minted(tok)
	}
	return tok, nil
}

// endpoint joins BaseURL and an already escaped path.
func (c *Client) endpoint(path string, query url.Values) string {
	u := strings.TrimRight(c.BaseURL, "/") + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	return u
}

// postForm sends a urlencoded form, as the Node, PHP and Ruby SDKs do
// (spec 3.2, 3.3).
func (c *Client) postForm(ctx context.Context, path string, form url.Values) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint(path, nil), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(c.httpClient(), req)
}

// get sends a GET with the system token as actor_token (spec 4), or
// without a token when tok is empty.
func (c *Client) get(ctx context.Context, path, tok string) (*http.Response, error) {
	var query url.Values
	if tok != "" {
		query = url.Values{"actor_token": {tok}}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.endpoint(path, query), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	return c.do(c.httpClient(), req)
}

// do sends req, keeping tokens out of the error: net/http quotes the
// request URL in its errors, and ours may carry one in the query
// (p4p.RedactURLError).
func (c *Client) do(hc *http.Client, req *http.Request) (*http.Response, error) {
	resp, err := hc.Do(req)
	return resp, p4p.RedactURLError(err)
}

// expect checks an answer's status; any other is a *StatusError whose body
// has tok redacted. It closes the body on error.
func expect(resp *http.Response, op string, want int, tok string) error {
	if resp.StatusCode == want {
		return nil
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	if tok != "" {
		body = []byte(strings.ReplaceAll(string(body), tok, token.Redact(tok)))
	}
	return &StatusError{Op: op, Status: resp.StatusCode, Body: string(body)}
}

// drain reads what is left of a body so the connection can be reused.
func drain(resp *http.Response) {
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody))
	resp.Body.Close()
}
