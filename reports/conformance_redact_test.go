package reports

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRedactReachesEveryString(t *testing.T) {
	const secret = "s3cr3t+key/="
	c := sample()
	setStrings(reflect.ValueOf(c).Elem(), "before "+secret+" after")
	before := conformanceCodec.clone(t, c)
	r := c.Redact(secret)
	var b bytes.Buffer
	if err := r.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b.Bytes(), []byte(secret)) {
		t.Errorf("redacted report still holds the secret:\n%s", b.Bytes())
	}
	if got, want := strings.Count(b.String(), "before [redacted] after"), 40; got < want {
		t.Errorf("got %d redacted strings, want at least %d", got, want)
	}
	if diff := cmp.Diff(before, c); diff != "" {
		t.Errorf("Redact changed its receiver (-before +after):\n%s", diff)
	}
}

func TestRedactForms(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		secrets []string
		want    string
	}{
		{"none", "key=abc", nil, "key=abc"},
		{"empty secret ignored", "key=abc", []string{""}, "key=abc"},
		{"every occurrence", "abc abc", []string{"abc"}, "[redacted] [redacted]"},
		{"longest first", "tok=abcdef", []string{"abc", "abcdef"}, "tok=[redacted]"},
		{"query-escaped", "lftoken=a%2Bb%2Fc", []string{"a+b/c"}, "lftoken=[redacted]"},
		{"two secrets", "key=K1 token=T1", []string{"K1", "T1"}, "key=[redacted] token=[redacted]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Conformance{Suite: tt.in}
			if got := c.Redact(tt.secrets...).Suite; got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRedactKeepsShape(t *testing.T) {
	c := sample()
	if diff := cmp.Diff(c, c.Redact("no such secret")); diff != "" {
		t.Errorf("Redact without a match changed the report (-want +got):\n%s", diff)
	}
	empty := &Conformance{Suite: "x", Results: []Result{{Evidence: []Exchange{{Request: Request{Header: map[string][]string{"A": {}}}}}}}}
	if diff := cmp.Diff(empty, empty.Redact("k")); diff != "" {
		t.Errorf("Redact changed empty slices (-want +got):\n%s", diff)
	}
}
