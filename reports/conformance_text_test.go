package reports

import (
	"bytes"
	"strings"
	"testing"
)

func TestWriteTextGolden(t *testing.T) {
	var b bytes.Buffer
	if err := sample().WriteText(&b); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "conformance.txt.golden", b.Bytes())
}

func TestWriteTextVerdict(t *testing.T) {
	tests := []struct {
		name    string
		results []Result
		want    string
	}{
		{"all passed", []Result{{ID: "A", Outcome: Passed}}, "PASSED: 1 passed, 0 warnings, 0 failed, 0 skipped\n"},
		{"one warning", []Result{{ID: "A", Outcome: Passed}, {ID: "B", Outcome: Warned}}, "PASSED: 1 passed, 1 warning, 0 failed, 0 skipped\n"},
		{"failed", []Result{{ID: "A", Outcome: Failed}, {ID: "B", Outcome: Skipped}}, "FAILED: 0 passed, 0 warnings, 1 failed, 1 skipped\n"},
		{"empty", nil, "PASSED: 0 passed, 0 warnings, 0 failed, 0 skipped\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Conformance{Suite: "p4p conformance", Started: sampleStarted, Results: tt.results}
			c.Tally()
			var b bytes.Buffer
			if err := c.WriteText(&b); err != nil {
				t.Fatal(err)
			}
			if got := b.String(); !strings.HasSuffix(got, "\n"+tt.want) {
				t.Errorf("got verdict line %q, want %q", lastLine(got), tt.want)
			}
		})
	}
}

func TestWriteTextEscapesControls(t *testing.T) {
	c := sample()
	c.Results[sampleFailed].Message = "bad\x1b[2Jbody\u009b31m\xff"
	c.Results[sampleFailed].Evidence[0].Response.Body = "line\r\nnext\x07"
	var b bytes.Buffer
	if err := c.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, bad := range []string{"\x1b", "\x07", "\r", "\u009b", "\xff"} {
		if strings.Contains(got, bad) {
			t.Errorf("output holds %q", bad)
		}
	}
	for _, want := range []string{`bad\x1b[2Jbody\u009b31m` + "\uFFFD", `next\x07`} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}
