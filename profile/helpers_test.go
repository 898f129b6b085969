package profile_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"p4p/profile"
)

func newValidator(tb testing.TB) *profile.Validator {
	tb.Helper()
	v, err := profile.NewValidator(profile.Limits{})
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// fixture reads a file in testdata.
func fixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// minimal wraps members into the smallest valid profile, for u-1.
func minimal(members string) string {
	if members != "" {
		members = "," + members
	}
	return `{"id":"u-1","display_name":"Ada"` + members + `}`
}

// asError returns err as an *Error, failing the test if it is not one.
func asError(t *testing.T, err error) *profile.Error {
	t.Helper()
	var e *profile.Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %T (%v), want *profile.Error", err, err)
	}
	return e
}

func paths(ps []profile.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Path)
	}
	return out
}
