package livefyre

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"p4p"
)

// Register sets the network's Pull URL template (spec 1.3, 3.2): POST / with
// a form body actor_token=<system token>&pull_profile_url=<template>, as the
// Node, PHP and Ruby SDKs send it. Success is 204. A template Livefyre
// would not register (p4p.Template.Registrable: every SDK refuses one
// without the literal {id}, spec 1.3) is refused before any request, with
// an error wrapping p4p.ErrTemplate.
func (c *Client) Register(ctx context.Context, template string) error {
	const op = "register"
	if err := p4p.Template(template).Registrable(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	tok, err := c.systemToken()
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	resp, err := c.postForm(ctx, "/", url.Values{"actor_token": {tok}, "pull_profile_url": {template}})
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := expect(resp, op, http.StatusNoContent, tok); err != nil {
		return err
	}
	drain(resp)
	return nil
}
