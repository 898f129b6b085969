package reports

import "testing"

// loadSamples are the sample load runs by the name their golden files
// carry.
var loadSamples = []struct {
	name string
	load func() *Load
}{
	{"pull", samplePull},
	{"propagation", samplePropagation},
	{"soak", sampleSoak},
	{"merged", sampleMerged},
}

func TestLoadWriteTextGolden(t *testing.T) {
	for _, s := range loadSamples {
		t.Run(s.name, func(t *testing.T) {
			checkGolden(t, "load-"+s.name+".txt.golden", []byte(rendered(t, s.load().WriteText)))
		})
	}
}

func TestLoadWriteTextVerdict(t *testing.T) {
	slo := func(expr string, passed bool) SLOResult { return SLOResult{Expr: expr, Passed: passed} }
	tests := []struct {
		name     string
		passed   bool
		slos     []SLOResult
		failures []string
		want     string
	}{
		{"no SLOs", true, nil, nil, "PASSED: the run completed; no SLOs were set"},
		{"one SLO", true, []SLOResult{slo("p99<1s", true)}, nil, "PASSED: the SLO held"},
		{"all held", true, []SLOResult{slo("a", true), slo("b", true)}, nil, "PASSED: all 2 SLOs held"},
		{"one failed", false, []SLOResult{slo("a", true), slo("p99<1s", false)}, nil, "FAILED: 1 of 2 SLOs failed (p99<1s)"},
		{"failure only", false, []SLOResult{slo("a", true)}, []string{"rate short"}, "FAILED: rate short"},
		{"both", false, []SLOResult{slo("a", false), slo("b", false)}, []string{"rate short", "3 lost"},
			"FAILED: 2 of 2 SLOs failed (a, b); rate short; 3 lost"},
		{"failed without reason", false, nil, nil, "FAILED: the run did not pass"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &Load{Scenario: "pull", Passed: tt.passed, SLOs: tt.slos, Failures: tt.failures}
			if got := lastLine(rendered(t, l.WriteText)); got != tt.want {
				t.Errorf("got verdict line %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLoadWriteTextSections(t *testing.T) {
	tests := []struct {
		name      string
		load      func() *Load
		want, not []string
	}{
		{"pull", samplePull, []string{"Rate\n", "Latency (29,998 responses)", "503 Service Unavailable", "✓  p99<250ms"},
			[]string{"Propagation", "Drift", "Livefyre:"}},
		{"propagation", samplePropagation, []string{"Propagation (time scale 60", "9 lost", "✗  within_promise>=99.9%", "Livefyre:"},
			[]string{"Drift"}},
		{"soak", sampleSoak, []string{"p4p load soak of pull (soak-1h.json)", "Drift (last 5m0s window", "1.12×", "+3.2 MB"},
			[]string{"Propagation"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkHolds(t, rendered(t, tt.load().WriteText), tt.want, tt.not)
		})
	}
}

func TestLoadWriteTextEscapesControls(t *testing.T) {
	l := samplePull()
	l.Errors[0].Example = "bad\x1b[2Jbody\u009b31m\xff"
	l.Failures = []string{"line\r\nnext\x07"}
	checkHolds(t, rendered(t, l.WriteText),
		[]string{`bad\x1b[2Jbody\u009b31m` + "\uFFFD", `line next\x07`},
		[]string{"\x1b", "\x07", "\r", "\u009b", "\xff"})
}
