package profile

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"unicode/utf8"
)

// FuzzDecode checks the parser against encoding/json: the same bodies are
// JSON, and they decode to the same value.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		`0`, `-0.5e+10`, `1E3`, `01`, `-`, `1.`, `.5`, `1e`, `"\u00e9\ud83d\ude00\ud800x\/\b\f\n\r\t\"\\"`, `"\x"`, `"\u12"`,
		`[1,[2,{"a":[]}],{}]`, `{"a":1,"a":2}`, `{"a":1,}`, `[1,]`, `tru`, `nul`, `[true,false,null]`, " \t\r\n{} ",
		"\"a\x01\"", `{"a" 1}`, `{1:1}`, `["a\u0000"]`, `{"":{"":[]}}`, `{"a":"\u0061","\u0061b":1,"ab":2}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if !utf8.Valid(body) {
			return // Check refuses it before parsing
		}
		got, compact, err := decode(body, 10000)
		var want any
		valid := json.Valid(body)
		if valid {
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.UseNumber()
			if err := dec.Decode(&want); err != nil {
				t.Fatal(err)
			}
		}
		switch {
		case errors.Is(err, ErrDuplicateKey):
			// encoding/json accepts duplicates, and stops at the first error
		case err != nil && valid:
			t.Fatalf("decode(%q): got %v, want %#v", body, err, want)
		case err == nil && !valid:
			t.Fatalf("decode(%q): got %#v, want an error", body, got)
		case err == nil && !reflect.DeepEqual(got, normal(want)):
			t.Fatalf("decode(%q):\ngot  %#v\nwant %#v", body, got, want)
		case err == nil:
			var want bytes.Buffer
			if json.Compact(&want, body); !bytes.Equal(compact, want.Bytes()) {
				t.Fatalf("decode(%q): got compact %q, want %q", body, compact, want.Bytes())
			}
		}
	})
}

// normal turns encoding/json's nil slices into the parser's empty ones.
func normal(v any) any {
	switch v := v.(type) {
	case []any:
		out := make([]any, 0, len(v))
		for _, e := range v {
			out = append(out, normal(e))
		}
		return out
	case map[string]any:
		for k, e := range v {
			v[k] = normal(e)
		}
	}
	return v
}

func TestDecodeCompacts(t *testing.T) {
	tests := []struct{ body, want string }{
		{`{"a":[1,"b c"]}`, `{"a":[1,"b c"]}`},
		{" {\"a\" :\t[ 1 , \"b c\" ] }\r\n", `{"a":[1,"b c"]}`},
		{"{\"a\":\"x\\\" \"} ", `{"a":"x\" "}`},
	}
	for _, tt := range tests {
		if _, got, err := decode([]byte(tt.body), 32); err != nil || string(got) != tt.want {
			t.Errorf("decode(%q): got %s, %v, want %s", tt.body, got, err, tt.want)
		}
	}
}
