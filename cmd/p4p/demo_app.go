package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"p4p/token"
)

// maxAuthAnswer bounds the Auth API answer the demo reads.
const maxAuthAnswer = 64 << 10

// showLogins shows what the Auth API answers the user now (spec 8.2):
// with the session's token, minted before the rename and carrying the
// old display_name, the old name (the token wins until the user logs in
// again); with a fresh token from a re-login, carrying the new name, the
// new one at once. The tokens are never printed.
func showLogins(ctx context.Context, stdout io.Writer, base, network, key, id, oldName, newName string) error {
	for _, l := range []struct{ what, name, note string }{
		{"the session's token (minted before the rename)", oldName, "the token's display_name wins until the user logs in again"},
		{"a fresh token from a re-login", newName, "what a re-login shows at once"},
	} {
		tok, err := token.User(network, key, id, l.name, time.Hour, time.Now(), token.StyleInteger)
		if err != nil {
			return fmt.Errorf("mint a user token: %w", err)
		}
		shown, err := authDisplayName(ctx, base, tok)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Auth API with %s: displayName %q (%s)\n", l.what, shown, l.note)
	}
	return nil
}

// authDisplayName asks the mock's Auth API who the token's user is and
// returns the displayName it answers.
func authDisplayName(ctx context.Context, base, tok string) (string, error) {
	u := base + "/api/v3.0/auth/?" + url.Values{"lftoken": {tok}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", fmt.Errorf("auth api: %w", err) // the URL holds the token: never quote it
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("auth api: %w", redactURLError(err))
	}
	defer resp.Body.Close()
	var env struct {
		Code int `json:"code"`
		Data struct {
			Profile struct {
				DisplayName string `json:"displayName"`
			} `json:"profile"`
		} `json:"data"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxAuthAnswer)).Decode(&env); err != nil {
		return "", fmt.Errorf("auth api: status %d: %w", resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK || env.Code != http.StatusOK {
		return "", fmt.Errorf("auth api: status %d, code %d", resp.StatusCode, env.Code)
	}
	return env.Data.Profile.DisplayName, nil
}

// redactURLError drops the URL, which holds the token, from a client
// error.
func redactURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}
