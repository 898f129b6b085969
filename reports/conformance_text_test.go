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
	const strict = " (--strict: deviations fail)"
	pass, dev, warn, fail, skip := Result{ID: "A", Outcome: Passed}, Result{ID: "D", Outcome: Deviated},
		Result{ID: "W", Outcome: Warned}, Result{ID: "F", Outcome: Failed}, Result{ID: "S", Outcome: Skipped}
	tests := []struct {
		name    string
		strict  bool
		results []Result
		want    string
	}{
		{"all passed", false, []Result{pass}, "CERTIFIED: 1 passed, 0 deviations, 0 warnings, 0 failed, 0 skipped"},
		{"all passed, strict", true, []Result{pass}, "CERTIFIED" + strict + ": 1 passed, 0 deviations, 0 warnings, 0 failed, 0 skipped"},
		{"one warning", false, []Result{pass, warn}, "CERTIFIED: 1 passed, 0 deviations, 1 warning, 0 failed, 0 skipped"},
		{"one deviation", false, []Result{pass, dev, warn, warn}, "CERTIFIED WITH DEVIATIONS: 1 passed, 1 deviation, 2 warnings, 0 failed, 0 skipped"},
		{"one deviation, strict", true, []Result{pass, dev}, "NOT CERTIFIED" + strict + ": 1 passed, 1 deviation, 0 warnings, 0 failed, 0 skipped"},
		{"two deviations", false, []Result{dev, dev}, "CERTIFIED WITH DEVIATIONS: 0 passed, 2 deviations, 0 warnings, 0 failed, 0 skipped"},
		{"failed", false, []Result{fail, skip}, "NOT CERTIFIED: 0 passed, 0 deviations, 0 warnings, 1 failed, 1 skipped"},
		{"failed and deviated, strict", true, []Result{fail, dev, skip, skip}, "NOT CERTIFIED" + strict + ": 0 passed, 1 deviation, 0 warnings, 1 failed, 2 skipped"},
		{"empty", false, nil, "CERTIFIED: 0 passed, 0 deviations, 0 warnings, 0 failed, 0 skipped"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Conformance{Suite: "p4p conformance", Started: sampleStarted, Strict: tt.strict, Results: tt.results}
			c.Tally()
			if got := rendered(t, c.WriteText); !strings.HasSuffix(got, "\n"+tt.want+"\n") {
				t.Errorf("got verdict line %q, want %q", lastLine(got), tt.want)
			}
		})
	}
}

func TestWriteTextOrder(t *testing.T) {
	c := &Conformance{Suite: "p4p conformance", Results: []Result{
		{ID: "W", Outcome: Warned}, {ID: "S", Outcome: Skipped, Message: "not applicable"}, {ID: "D", Outcome: Deviated},
		{ID: "P", Outcome: Passed}, {ID: "F", Outcome: Failed}, {ID: "F2", Outcome: Failed},
	}}
	c.Tally()
	out := rendered(t, c.WriteText)
	_, details, ok := strings.Cut(out, "\nFailures (the sync breaks or is unsafe)\n")
	if !ok {
		t.Fatalf("no failures heading:\n%s", out)
	}
	wants := []string{
		"\nFAIL  F: ", "\nFAIL  F2: ",
		"\nDeviations (the sync works; the documented contract is not followed to the letter)\n", "\nDEV   D: ",
		"\nWarnings (advice)\n", "\nWARN  W: ",
		"\nSkipped (not run)\n", "\nSKIP  S: not applicable\n", "\nNOT CERTIFIED: ",
	}
	checkInOrder(t, details, wants)
	if strings.Contains(details, "P: ") {
		t.Errorf("the details show the spec that passed:\n%s", details)
	}
}

// checkInOrder fails the test unless out holds each of wants, each
// after the one before.
func checkInOrder(t *testing.T, out string, wants []string) {
	t.Helper()
	rest := out
	for _, want := range wants {
		i := strings.Index(rest, want)
		if i < 0 {
			t.Errorf("output lacks %q after the strings before it, in order %q:\n%s", want, wants, out)
			return
		}
		rest = rest[i+len(want):]
	}
}

func TestWriteTextSkips(t *testing.T) {
	const notSelected, noHook = "not selected by the label filter", "no update hook was given (--update-hook)"
	c := &Conformance{Suite: "p4p conformance", Results: []Result{
		{ID: "N1", Outcome: Skipped, Message: notSelected},
		{ID: "B1", Outcome: Skipped, Message: "blocked: F failed"},
		{ID: "F", Outcome: Failed},
		{ID: "N2", Outcome: Skipped, Message: notSelected},
		{ID: "N3", Outcome: Skipped, Message: notSelected},
		{ID: "H", Outcome: Skipped, Message: noHook},
		{ID: "N4", Outcome: Skipped, Message: notSelected},
		{ID: "B2", Outcome: Skipped, Message: "blocked: F failed"},
		{ID: "E", Outcome: Skipped},
	}}
	c.Tally()
	out := rendered(t, c.WriteText)
	_, skips, _ := strings.Cut(out, "\nSkipped (not run)\n-----------------\n")
	want := "SKIP  B1: blocked: F failed\n" +
		"SKIP  H: " + noHook + "\n" +
		"SKIP  B2: blocked: F failed\n" +
		"SKIP  E: (no reason given)\n" +
		"SKIP  4 specs: " + notSelected + "\n" +
		"\nNOT CERTIFIED: 0 passed, 0 deviations, 0 warnings, 1 failed, 8 skipped\n"
	if skips != want {
		t.Errorf("got skips\n%s\nwant\n%s", skips, want)
	}
	if none := rendered(t, (&Conformance{Results: []Result{{ID: "A", Outcome: Passed}}}).WriteText); strings.Contains(none, "Skipped") {
		t.Errorf("a run without skips has a skipped section:\n%s", none)
	}
}

func TestWriteTextCulprit(t *testing.T) {
	out := rendered(t, sample().WriteText)
	checkHolds(t, out,
		[]string{"  Evidence 2 of 2 (broke the rule): pull u-1002 without lftoken (9ms)\n", "  Evidence 1 of 2: pull u-1001 without lftoken (8ms)\n"},
		[]string{"Evidence 1 of 2 (broke the rule)"})
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
