package token

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestSystem: the system token as the 2.x SDKs build it (spec 2.1).
func TestSystem(t *testing.T) {
	tok, err := System(network, key, DefaultTTL, now)
	if err != nil {
		t.Fatal(err)
	}
	header, payload, _ := parts(t, tok)
	if want := sdkHS; header != want {
		t.Errorf("got header %s, want %s", header, want)
	}
	if want := `{"display_name":"system","domain":"test.fyre.com","expires":1396741400,"user_id":"system"}`; payload != want {
		t.Errorf("got payload %s, want %s", payload, want)
	}
}

// TestRoundTrip: User then Validate, in each style (spec 2.3, 6.19).
func TestRoundTrip(t *testing.T) {
	iat := now.Unix()
	tests := []struct {
		style       Style
		wantPayload string
		want        Claims
	}{
		{StyleInteger,
			`{"display_name":"Ada","domain":"test.fyre.com","expires":1396658600,"user_id":"a.b-c_1"}`,
			Claims{Domain: network, UserID: "a.b-c_1", DisplayName: "Ada", Expires: 1396658600}},
		{StyleNode,
			`{"display_name":"Ada","domain":"test.fyre.com","expires":1396658600.123,"iat":1396655000,"user_id":"a.b-c_1"}`,
			Claims{Domain: network, UserID: "a.b-c_1", DisplayName: "Ada", Expires: 1396658600.123, IssuedAt: &iat}},
	}
	for _, tt := range tests {
		tok, err := User(network, key, "a.b-c_1", "Ada", time.Hour, now.Add(123*time.Millisecond), tt.style)
		if err != nil {
			t.Fatalf("style %d: %v", tt.style, err)
		}
		if _, payload, _ := parts(t, tok); payload != tt.wantPayload {
			t.Errorf("style %d: got payload %s, want %s", tt.style, payload, tt.wantPayload)
		}
		v := validator()
		v.Users = []string{"a.b-c_1"}
		got, err := v.Validate(tok)
		if err != nil {
			t.Fatalf("style %d: got error %v, want none", tt.style, err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("style %d: claims (-want +got):\n%s", tt.style, diff)
		}
	}
}

// TestNodeWholeSecond: like JSON.stringify, StyleNode writes a float that
// falls on a whole second without a fraction.
func TestNodeWholeSecond(t *testing.T) {
	tok, err := User(network, key, "system", "system", time.Hour, now, StyleNode)
	if err != nil {
		t.Fatal(err)
	}
	if _, payload, _ := parts(t, tok); !strings.Contains(payload, `"expires":1396658600,`) {
		t.Errorf("got payload %s, want expires 1396658600", payload)
	}
}

func TestUserRejectsBadIDs(t *testing.T) {
	for _, id := range []string{"", "a b", "a/b", "ü", "a\n", "<script>"} {
		if _, err := User(network, key, id, "x", time.Hour, now, StyleInteger); err == nil {
			t.Errorf("User(%q): got no error, want one", id)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	c := Claims{Domain: network, UserID: "system", Expires: 1}
	tests := []struct {
		name  string
		c     Claims
		key   string
		style Style
	}{
		{"empty key", c, "", StyleInteger},
		{"unknown style", c, key, Style(7)},
		{"NaN expires", Claims{Expires: math.NaN()}, key, StyleNode},
		{"infinite expires", Claims{Expires: math.Inf(1)}, key, StyleInteger},
	}
	for _, tt := range tests {
		if tok, err := Build(tt.c, tt.key, tt.style); err == nil {
			t.Errorf("%s: got token %s, want an error", tt.name, Redact(tok))
		}
	}
}

func TestExpiresAt(t *testing.T) {
	for _, tt := range []struct {
		expires float64
		want    time.Time
	}{
		{1396655083, time.Unix(1396655083, 0)},
		{1396655083.5, time.Unix(1396655083, 5e8)},
		{-1.5, time.Unix(-2, 5e8)},
	} {
		if got := (Claims{Expires: tt.expires}).ExpiresAt(); !got.Equal(tt.want) {
			t.Errorf("ExpiresAt(%v): got %v, want %v", tt.expires, got, tt.want)
		}
	}
}

func TestUnsigned(t *testing.T) {
	now := time.Unix(1700000000, 0)
	tok, err := Unsigned(Claims{Domain: "example.fyre.co", UserID: SystemUser, DisplayName: SystemUser, Expires: float64(now.Unix() + 3600)})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(tok, ".") || strings.Count(tok, ".") != 2 {
		t.Fatalf("Unsigned = %q, want header.payload. with an empty signature", tok)
	}
	v := Validator{Network: "example.fyre.co", Key: "k", Now: func() time.Time { return now }}
	if _, err := v.Validate(tok); !errors.Is(err, ErrAlgorithm) {
		t.Errorf("Validate(unsigned) = %v, want ErrAlgorithm", err)
	}
}
