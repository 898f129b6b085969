package profile_test

import (
	"encoding/json"
	"testing"

	"p4p/profile"
)

func TestBoolRoundTrip(t *testing.T) {
	tests := []struct {
		json string
		want profile.Bool
	}{
		{`true`, profile.Bool{Value: true}},
		{`false`, profile.Bool{}},
		{`"true"`, profile.Bool{Value: true, AsString: true}},
		{`"false"`, profile.Bool{AsString: true}},
	}
	for _, tt := range tests {
		var got profile.Bool
		if err := json.Unmarshal([]byte(tt.json), &got); err != nil {
			t.Fatalf("Unmarshal(%s): %v", tt.json, err)
		}
		if got != tt.want {
			t.Errorf("Unmarshal(%s): got %+v, want %+v", tt.json, got, tt.want)
		}
		out, err := json.Marshal(got)
		if err != nil || string(out) != tt.json {
			t.Errorf("Marshal(%+v): got %s, %v, want %s", got, out, err, tt.json)
		}
	}
}

func TestBoolEscapedString(t *testing.T) {
	var got profile.Bool
	if err := json.Unmarshal([]byte(`"tru\u0065"`), &got); err != nil {
		t.Fatal(err)
	}
	if want := (profile.Bool{Value: true, AsString: true}); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestBoolNullLeavesValue(t *testing.T) {
	got := profile.Bool{Value: true}
	if err := json.Unmarshal([]byte(`null`), &got); err != nil {
		t.Fatal(err)
	}
	if want := (profile.Bool{Value: true}); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestBoolRefuses(t *testing.T) {
	for _, in := range []string{`"yes"`, `1`, `0`, `"TRUE"`, `""`, `[]`, `{}`} {
		var b profile.Bool
		if err := json.Unmarshal([]byte(in), &b); err == nil {
			t.Errorf("Unmarshal(%s): got %+v, want an error", in, b)
		}
	}
}
