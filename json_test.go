package p4p_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"p4p"
)

type hookBody struct {
	ID   string `json:"id"`
	Name string `json:"display_name"`
}

func TestDecodeJSON(t *testing.T) {
	tests := []struct {
		in      string
		want    hookBody
		wantErr string
	}{
		{`{"id":"u","display_name":"A"}`, hookBody{"u", "A"}, ""},
		{" {\"id\":\"u\"}\n\t ", hookBody{ID: "u"}, ""},
		{`{"id":"u","extra":1}`, hookBody{}, `unknown field "extra"`},
		{`{"id":"u"}{"id":"v"}`, hookBody{}, "data after the JSON value"},
		{`{"id":"u"} x`, hookBody{}, "data after the JSON value"},
		{`{"id":"u"`, hookBody{}, "unexpected EOF"},
		{``, hookBody{}, "EOF"},
		{`[1]`, hookBody{}, "cannot unmarshal array"},
	}
	for _, tt := range tests {
		var got hookBody
		err := p4p.DecodeJSON(strings.NewReader(tt.in), &got)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("DecodeJSON(%q): %v", tt.in, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("DecodeJSON(%q) error %v, want one saying %q", tt.in, err, tt.wantErr)
		case tt.wantErr == "" && got != tt.want:
			t.Errorf("DecodeJSON(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

// TestDecodeJSONBounded: a bounded reader's error comes back as itself,
// so that a handler can answer 413.
func TestDecodeJSONBounded(t *testing.T) {
	body := `{"id":"u"}` + strings.Repeat(" ", 100) + "x"
	req := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(body))
	r := http.MaxBytesReader(httptest.NewRecorder(), req.Body, 50)
	var got hookBody
	var tooLarge *http.MaxBytesError
	if err := p4p.DecodeJSON(r, &got); !errors.As(err, &tooLarge) {
		t.Errorf("DecodeJSON over a MaxBytesReader = %v, want *http.MaxBytesError", err)
	}
}

func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{"id":"u"}`, `{"id":"u"} {}`, `{"x":1}`, `"`, `{"id":"\ud800"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var v hookBody
		if err := p4p.DecodeJSON(strings.NewReader(s), &v); err != nil {
			return
		}
		var again hookBody
		if err := p4p.DecodeJSON(strings.NewReader(s+" "), &again); err != nil || again != v {
			t.Fatalf("DecodeJSON(%q) = %+v, but with trailing space %+v, %v", s, v, again, err)
		}
	})
}

func TestPointer(t *testing.T) {
	tests := []struct {
		tokens []string
		want   string
	}{
		{nil, ""}, {[]string{"rate"}, "/rate"}, {[]string{"users", "0"}, "/users/0"},
		{[]string{"a/b", "m~n"}, "/a~1b/m~0n"}, {[]string{""}, "/"}, {[]string{"~1"}, "/~01"},
	}
	for _, tt := range tests {
		if got := p4p.Pointer(tt.tokens...); got != tt.want {
			t.Errorf("Pointer(%q) = %q, want %q", tt.tokens, got, tt.want)
		}
	}
}

func ExampleDecodeJSON() {
	var v struct {
		ID string `json:"id"`
	}
	err := p4p.DecodeJSON(strings.NewReader(`{"id":"u-1","nmae":"typo"}`), &v)
	fmt.Println(err)
	// Output: json: unknown field "nmae"
}

func ExamplePointer() {
	fmt.Println(p4p.Pointer("email_notifications", "a/b", "0"))
	// Output: /email_notifications/a~1b/0
}
