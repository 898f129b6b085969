package livefyre

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"p4p"
)

// ErrTemplate is a Pull URL template without the literal "{id}"
// (p4p.Placeholder), which every SDK refuses before sending it (spec
// 1.3); the SDKs check nothing else, and neither does Register.
var ErrTemplate = errors.New(`the pull URL template must contain "{id}", which Livefyre replaces with the user id`)

// Register sets the network's Pull URL template (spec 1.3, 3.2): POST / with
// a form body actor_token=<system token>&pull_profile_url=<template>, as the
// Node, PHP and Ruby SDKs send it. Success is 204. A template without
// "{id}" is refused with ErrTemplate before any request.
func (c *Client) Register(ctx context.Context, template string) error {
	const op = "register"
	if !strings.Contains(template, p4p.Placeholder) {
		return fmt.Errorf("%s: %w", op, ErrTemplate)
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
