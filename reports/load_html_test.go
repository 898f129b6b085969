package reports

import (
	"reflect"
	"testing"
)

func TestLoadWriteHTMLGolden(t *testing.T) {
	for _, s := range loadSamples {
		t.Run(s.name, func(t *testing.T) {
			checkGolden(t, "load-"+s.name+".html.golden", []byte(rendered(t, s.load().WriteHTML)))
		})
	}
}

func TestLoadWriteHTMLContents(t *testing.T) {
	common := []string{
		`<meta charset="utf-8">`,
		`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
		`2025-03-14T09:26:53Z`, `Friday, 14 March 2025, 09:26:53 UTC`, `p4p v0.4.0`, `@media print`,
		`<code>https://app.example.org/p4p/pull?id={id}</code>`, `<dt>Network</dt><dd>example.fyre.co</dd>`,
		`<h2>Service-level objectives</h2>`, `<h2>Status codes</h2>`, `<h2>Errors</h2>`,
	}
	tests := []struct {
		name      string
		load      func() *Load
		want, not []string
	}{
		{"pull", samplePull, []string{
			`<title>PASSED: p4p load pull of https://app.example.org/p4p/pull?id={id}</title>`,
			`<header class="banner passed"`, `<h1 class="verdict" id="verdict">PASSED</h1>`, `all 3 SLOs held`,
			`<code>p99&lt;250ms</code></td><td class="num">112ms</td>`, `503 Service Unavailable`,
			`status 503 for user u-4711, want 200`, `<dd>10 workers, at most 64</dd>`,
		}, []string{`class="failures"`, `Propagation`, `Drift`, `<tr class="failed">`}},
		{"propagation", samplePropagation, []string{
			`<header class="banner failed"`, `<h1 class="verdict" id="verdict">FAILED</h1>`,
			`<section class="failures"`, `coordinated omission`, `<tr class="failed">`, `<span class="badge failed">✗ FAIL</span>`,
			`<dt>Livefyre</dt><dd>embedded mock</dd>`, `Livefyre's 10 minutes are 10s`, `<li class="bad">`,
			`/events was cut off and reconnected once`,
		}, []string{`Drift`}},
		{"soak", sampleSoak, []string{
			`Load run &middot; soak of pull`, `(soak-1h.json)`, `<dt>Error rate</dt><dd>&#43;0.04 percentage points</dd>`,
			`<dt>Heap</dt><dd>&#43;3.2 MB</dd>`, `<code>results.bin</code>`,
		}, []string{`class="failures"`, `Ping to update`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkHolds(t, rendered(t, tt.load().WriteHTML), append(common, tt.want...), tt.not)
		})
	}
}

func TestLoadWriteHTMLSelfContained(t *testing.T) {
	for _, s := range loadSamples {
		t.Run(s.name, func(t *testing.T) {
			checkSelfContained(t, rendered(t, s.load().WriteHTML), "<image", "<foreignobject", "<use", "href=")
		})
	}
}

func TestLoadWriteHTMLEscapesEveryString(t *testing.T) {
	l := samplePropagation()
	l.Drift = &Drift{}
	l.Files = []string{"results.bin"}
	setLoadStrings(l, attack)
	checkEscapesAttack(t, rendered(t, l.WriteHTML), 25)
}

// setLoadStrings sets every string in l, status-code keys included, to
// s.
func setLoadStrings(l *Load, str string) {
	status := 0
	for _, n := range l.Status {
		status += n
	}
	l.Status = nil
	setStrings(reflect.ValueOf(l).Elem(), str)
	l.Status = map[string]int{str: status}
}
