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

// Ping asks Livefyre to pull a user's profile (spec 1.4, 3.3):
// POST /api/v3_0/user/{userID}/refresh with the form body
// lftoken=<system token>, as the SDKs send it. Success is 200, whose
// envelope's data is the PingResult.
func (c *Client) Ping(ctx context.Context, userID string) (PingResult, error) {
	op := "ping " + userID
	if userID == "" {
		return PingResult{}, errors.New("ping: user id missing")
	}
	tok, err := c.systemToken()
	if err != nil {
		return PingResult{}, fmt.Errorf("%s: %w", op, err)
	}
	path := "/api/v3_0/user/" + url.PathEscape(userID) + "/refresh"
	resp, err := c.postForm(ctx, path, url.Values{"lftoken": {tok}})
	if err != nil {
		return PingResult{}, fmt.Errorf("%s: %w", op, err)
	}
	if err := expect(resp, op, http.StatusOK, tok); err != nil {
		return PingResult{}, err
	}
	defer drain(resp)
	var result PingResult
	if err := decodeEnvelope(resp.Body, &result); err != nil {
		return PingResult{}, fmt.Errorf("%s: %w", op, err)
	}
	return result, nil
}

// decodeEnvelope reads a v3 envelope (spec 4) and its data into v.
func decodeEnvelope(r io.Reader, v any) error {
	var env Envelope
	if err := json.NewDecoder(io.LimitReader(r, maxBody)).Decode(&env); err != nil {
		return fmt.Errorf("decoding the answer: %w", err)
	}
	if env.Status != "ok" {
		return fmt.Errorf("answer status %q, want \"ok\": %s", env.Status, env.Msg)
	}
	if len(env.Data) == 0 {
		return errors.New("the answer has no data")
	}
	if err := json.Unmarshal(env.Data, v); err != nil {
		return fmt.Errorf("decoding the answer's data: %w", err)
	}
	return nil
}
