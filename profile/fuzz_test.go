package profile_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"p4p/profile"
)

var kinds = []error{
	profile.ErrTooLarge, profile.ErrEmpty, profile.ErrInvalidUTF8, profile.ErrNotJSON, profile.ErrNotObject,
	profile.ErrTooDeep, profile.ErrDuplicateKey, profile.ErrSchema, profile.ErrIDMismatch,
}

func FuzzCheck(f *testing.F) {
	for _, name := range []string{"docs-example.json", "full-strings.json", "full-booleans.json", "ft.json"} {
		f.Add(fixture(f, name), "")
	}
	for _, s := range []string{
		minimal(""), minimal(`"tags":["a b"]`), minimal(`"name":{"first":"A","first":"B"}`),
		minimal(`"a":` + nested(32)), minimal(`"display_rules":{"bio":1}`), minimal(`"image_url":""`),
		`{"id":"a","display_name":"b"} x`, `{} {}`, `[[[[`, "\xff", `null`, ``, ` `, `{"id":1}`,
		"{\"id\":\"u-1\",\"display_name\":\"\xc3\x28\"}", `{"id":"u-1","display_name":"A\u0000"}`,
	} {
		f.Add([]byte(s), "u-1")
	}
	v := newValidator(f)
	f.Fuzz(func(t *testing.T, body []byte, wantID string) {
		doc, err := v.Check(body, wantID)
		parsed := err == nil || errors.Is(err, profile.ErrNotObject) || errors.Is(err, profile.ErrSchema) || errors.Is(err, profile.ErrIDMismatch)
		if parsed != (utf8.Valid(body) && json.Valid(body) && len(body) <= profile.DefaultMaxBytes) && !errors.Is(err, profile.ErrTooDeep) && !errors.Is(err, profile.ErrDuplicateKey) {
			t.Fatalf("Check(%q): got %v, but json.Valid says %v", body, err, json.Valid(body))
		}
		if err != nil {
			checkError(t, err)
			return
		}
		if trimmed := bytes.TrimLeft(body, " \t\r\n"); trimmed[0] != '{' {
			t.Fatalf("Check(%q) accepted a body that is not a JSON object", body)
		}
		var raw bytes.Buffer
		if err := json.Compact(&raw, body); err != nil || !bytes.Equal(doc.Raw, raw.Bytes()) {
			t.Fatalf("Check(%q): got Raw %q, want %q", body, doc.Raw, raw.Bytes())
		}
		if doc.ID == "" || (wantID != "" && doc.ID != wantID) {
			t.Fatalf("Check(%q, %q): got id %q", body, wantID, doc.ID)
		}
	})
}

// checkError checks that a refusal is an *Error of a known kind, on one line.
func checkError(t *testing.T, err error) {
	t.Helper()
	e := asError(t, err)
	known := false
	for _, k := range kinds {
		known = known || errors.Is(err, k)
	}
	if !known || len(e.Problems) > 20 {
		t.Fatalf("got %#v, want a known kind and at most 20 problems", e)
	}
	if msg := err.Error(); strings.ContainsAny(msg, "\r\n") || len(msg) > 600 {
		t.Fatalf("got message %q, want one short line", msg)
	}
}
