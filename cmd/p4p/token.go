package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"p4p/token"
)

// runToken prints a token for integrators debugging their validation, or
// with --check says whether a token is one Livefyre would send.
func runToken(args []string, stdout, stderr io.Writer) error {
	var (
		net   networkFlags
		user  string
		name  string
		ttl   time.Duration
		style string
		check string
		alg   string
		miss  string
		form  string
	)
	fs := flag.NewFlagSet("p4p token", flag.ContinueOnError)
	fs.SetOutput(stderr)
	net.register(fs)
	fs.StringVar(&user, "user", token.SystemUser, "user_id claim")
	fs.StringVar(&name, "display-name", "", "display_name claim (default: the user id)")
	fs.DurationVar(&ttl, "ttl", token.DefaultTTL, "time to expiry; negative for a token already expired")
	fs.StringVar(&style, "style", "integer", `expires encoding: "integer" (Python, Java, PHP, Ruby SDKs) or "node" (float expires and iat)`)
	fs.StringVar(&alg, "alg", "HS256", `"HS256", or "none" for an unsigned token every endpoint must refuse`)
	fs.StringVar(&check, "check", "", "instead of printing a token, check this one (use - to read it from stdin)")
	fs.StringVar(&miss, "near-miss", "", "instead, print the near miss of a valid system token named so, which P4P-AUTH-010 sends (\"list\" lists them)")
	fs.StringVar(&form, "valid-form", "", "instead, print the valid system token form named so, which P4P-AUTH-011 sends (\"list\" lists them)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := net.check(); err != nil {
		return err
	}
	if check == "-" {
		data, err := io.ReadAll(io.LimitReader(os.Stdin, token.MaxLength+1))
		if err != nil {
			return err
		}
		check = string(data)
	}
	if check != "" {
		return checkToken(net, check, user, stdout)
	}
	if miss != "" {
		return printNearMiss(net, miss, stdout)
	}
	if form != "" {
		return printValidForm(net, form, stdout)
	}
	st, ok := map[string]token.Style{"integer": token.StyleInteger, "node": token.StyleNode}[style]
	if !ok {
		return usagef("--style %q: want integer or node", style)
	}
	if ttl == 0 {
		return usagef("--ttl must not be zero")
	}
	if name == "" {
		name = user
	}
	tok, err := mintToken(net, user, name, ttl, st, alg)
	if err != nil {
		return usageError{err}
	}
	fmt.Fprintln(stdout, tok)
	return nil
}

func checkToken(net networkFlags, tok, user string, stdout io.Writer) error {
	tok = strings.TrimSpace(tok)
	v := token.Validator{Network: net.network, Key: net.key}
	if user != token.SystemUser {
		v.Users = []string{user}
	}
	claims, err := v.Validate(tok)
	if err != nil {
		return fmt.Errorf("token %s is not valid: %w", token.Redact(tok), err)
	}
	out, _ := json.MarshalIndent(map[string]any{
		"valid": true, "domain": claims.Domain, "user_id": claims.UserID,
		"display_name": claims.DisplayName, "expires": claims.ExpiresAt().UTC().Format(time.RFC3339),
	}, "", "  ")
	fmt.Fprintln(stdout, string(out))
	return nil
}

// mintToken builds the token runToken prints: signed as an SDK would, or
// with --alg none unsigned.
func mintToken(net networkFlags, user, name string, ttl time.Duration, st token.Style, alg string) (string, error) {
	switch alg {
	case "HS256":
		return token.User(net.network, net.key, user, name, ttl, time.Now(), st)
	case "none":
		return token.Unsigned(token.Claims{Domain: net.network, UserID: user, DisplayName: name,
			Expires: float64(time.Now().Add(ttl).Unix())})
	default:
		return "", fmt.Errorf("--alg %q: want HS256 or none", alg)
	}
}

// namedToken is a token the suite sends under a name: a near miss or a
// valid form; listed is how --FLAG list shows it.
type namedToken struct{ name, listed, token string }

// printNamed prints the token called name, or with "list" every token's
// listed line; flag names the flag, for the error.
func printNamed(flag string, tokens []namedToken, name string, stdout io.Writer) error {
	for _, t := range tokens {
		switch {
		case name == "list":
			fmt.Fprintln(stdout, t.listed)
		case t.name == name:
			fmt.Fprintln(stdout, t.token)
			return nil
		}
	}
	if name == "list" {
		return nil
	}
	return usagef("--%s %q: no token has that name; --%s list lists them", flag, name, flag)
}

// printValidForm prints the valid form of a system token called name
// (token.ValidForms), which P4P-AUTH-011 sends, or lists them all.
func printValidForm(net networkFlags, name string, stdout io.Writer) error {
	forms, err := token.ValidForms(net.network, net.key, time.Now())
	if err != nil {
		return usageError{err}
	}
	var tokens []namedToken
	for _, f := range forms {
		tokens = append(tokens, namedToken{f.Name, f.Name, f.Token})
	}
	return printNamed("valid-form", tokens, name, stdout)
}

// printNearMiss prints the near miss of spec 2.4 called name (token
// package), or with "list" every near miss's rule and name.
func printNearMiss(net networkFlags, name string, stdout io.Writer) error {
	ms, err := token.NearMisses(net.network, net.key, time.Now())
	if err != nil {
		return usageError{err}
	}
	var tokens []namedToken
	for _, m := range ms {
		tokens = append(tokens, namedToken{m.Name, fmt.Sprintf("%-9s  %s", m.Rule, m.Name), m.Token})
	}
	return printNamed("near-miss", tokens, name, stdout)
}
