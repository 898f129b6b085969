package reports

import "testing"

func TestCountsLine(t *testing.T) {
	tests := []struct {
		s    Summary
		want string
	}{
		{Summary{}, "0 passed, 0 deviations, 0 warnings, 0 failed, 0 skipped"},
		{Summary{Passed: 20, Deviated: 2, Warned: 1, Failed: 1, Skipped: 1}, "20 passed, 2 deviations, 1 warning, 1 failed, 1 skipped"},
		{Summary{Passed: 1, Deviated: 1, Warned: 2, Failed: 3, Skipped: 4}, "1 passed, 1 deviation, 2 warnings, 3 failed, 4 skipped"},
	}
	for _, tt := range tests {
		if got := countsLine(tt.s); got != tt.want {
			t.Errorf("%+v: got %q, want %q", tt.s, got, tt.want)
		}
	}
}

func TestVerdictHeading(t *testing.T) {
	tests := []struct {
		v      Verdict
		strict bool
		want   string
	}{
		{Certified, false, "CERTIFIED"},
		{CertifiedWithDeviations, false, "CERTIFIED WITH DEVIATIONS"},
		{NotCertified, false, "NOT CERTIFIED"},
		{NotCertified, true, "NOT CERTIFIED (--strict: deviations fail)"},
		{Certified, true, "CERTIFIED (--strict: deviations fail)"},
		{"", false, "NO VERDICT"},
	}
	for _, tt := range tests {
		c := &Conformance{Verdict: tt.v, Strict: tt.strict}
		if got := c.verdictHeading(); got != tt.want {
			t.Errorf("%q strict %v: got %q, want %q", tt.v, tt.strict, got, tt.want)
		}
	}
}
