package livefyre

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
)

// maxProfiles bounds the array Profiles reads.
const maxProfiles = 1 << 30

// Profile reads the remote profile Livefyre stores for a user:
// GET /profiles/{id}?actor_token=<system token>. A user Livefyre knows
// nothing of is an error matching ErrNotFound.
func (c *Client) Profile(ctx context.Context, id string) (RemoteProfile, error) {
	op := "profile " + id
	var rp RemoteProfile
	if id == "" {
		return rp, errors.New("profile: user id missing")
	}
	err := c.getJSON(ctx, op, "/profiles/"+url.PathEscape(id), maxBody, &rp)
	return rp, err
}

// Profiles lists every stored remote profile: GET /profiles/?actor_token=…,
// a JSON array of RemoteProfile (spec 4), read in pages of PageSize
// through ProfilePages. A profile rewritten while the pages are read may
// come twice (see ProfilePages); Profiles keeps the later, newer one.
func (c *Client) Profiles(ctx context.Context) ([]RemoteProfile, error) {
	var all []RemoteProfile
	at := map[string]int{}
	err := c.ProfilePages(ctx, PageSize, func(page []RemoteProfile) error {
		for _, rp := range page {
			if i, ok := at[rp.ID]; ok {
				all[i] = rp
				continue
			}
			at[rp.ID] = len(all)
			all = append(all, rp)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return all, nil
}

// PageSize is the page size Profiles asks for, the most the mock serves.
const PageSize = 1000

// ProfilePages lists the stored remote profiles a page at a time:
// GET /profiles/?limit=…, then the page each answer's Link rel="next"
// names (RFC 8288), until an answer has none. It calls fn with every page
// in order and stops at fn's first error. limit 0 means the server's
// default. A server without paging answers the whole array at once, one
// page.
//
// Every profile stored for the whole walk comes at least once, exactly
// once if it was not rewritten meanwhile. The next page's URL must be on
// the BaseURL's host: the client adds its own token to it, and sends it
// nowhere else.
func (c *Client) ProfilePages(ctx context.Context, limit int, fn func([]RemoteProfile) error) error {
	next, err := url.Parse(c.endpoint("/profiles/", nil))
	if err != nil {
		return fmt.Errorf("profiles: %w", err)
	}
	if limit > 0 {
		next.RawQuery = url.Values{"limit": {strconv.Itoa(limit)}}.Encode()
	}
	for pages := 1; next != nil; pages++ {
		op := "profiles"
		if pages > 1 {
			op = fmt.Sprintf("profiles, page %d", pages)
		}
		var page []RemoteProfile
		if next, err = c.getPage(ctx, op, next, &page); err != nil {
			return err
		}
		if err := fn(page); err != nil {
			return err
		}
	}
	return nil
}

// getPage GETs u with a fresh system token, decodes the page into v and
// returns the next page's URL, nil at the end.
func (c *Client) getPage(ctx context.Context, op string, u *url.URL, v any) (*url.URL, error) {
	tok, err := c.systemToken()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	q := u.Query()
	q.Del("lftoken")
	q.Set("actor_token", tok)
	withToken := *u
	withToken.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, withToken.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.do(c.httpClient(), req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := expect(resp, op, http.StatusOK, tok); err != nil {
		return nil, err
	}
	defer drain(resp)
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxProfiles)).Decode(v); err != nil {
		return nil, fmt.Errorf("%s: decoding the answer: %w", op, err)
	}
	next, err := nextLink(u, resp.Header.Values("Link"))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return next, nil
}

// getJSON GETs path with a system token and decodes a 200's JSON into v.
func (c *Client) getJSON(ctx context.Context, op, path string, limit int64, v any) error {
	tok, err := c.systemToken()
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	resp, err := c.get(ctx, path, tok)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := expect(resp, op, http.StatusOK, tok); err != nil {
		return err
	}
	defer drain(resp)
	if err := json.NewDecoder(io.LimitReader(resp.Body, limit)).Decode(v); err != nil {
		return fmt.Errorf("%s: decoding the answer: %w", op, err)
	}
	return nil
}
