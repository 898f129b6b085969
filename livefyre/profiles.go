package livefyre

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
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
// a JSON array of RemoteProfile (spec 4).
func (c *Client) Profiles(ctx context.Context) ([]RemoteProfile, error) {
	var all []RemoteProfile
	if err := c.getJSON(ctx, "profiles", "/profiles/", maxProfiles, &all); err != nil {
		return nil, err
	}
	return all, nil
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
