package reports

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestJSONRoundTrip(t *testing.T) {
	conformanceCodec.checkGolden(t, "conformance.json.golden", sample())
}

func TestReadConformanceRejects(t *testing.T) {
	conformanceCodec.checkRejects(t, "read report: ", []rejectCase{
		{"empty", "", "not a JSON object"},
		{"null", "null", "not a JSON object"},
		{"array", `[{"suite":"x"}]`, "not a JSON object"},
		{"string", `"report"`, "not a JSON object"},
		{"truncated", `{"suite":"x"`, "unexpected EOF"},
		{"trailing object", `{"suite":"x"} {}`, "data after the report object"},
		{"trailing garbage", `{"suite":"x"}garbage`, "data after the report object"},
		{"unknown field", `{"suite":"x","rps":100}`, `unknown field "rps"`},
		{"unknown nested field", `{"suite":"x","results":[{"id":"A","color":"red"}]}`, `unknown field "color"`},
		{"no suite", `{"passed":true}`, "no suite"},
		{"wrong type", `{"suite":7}`, "cannot unmarshal number"},
	})
}

func TestReadConformanceSizeLimit(t *testing.T) {
	conformanceCodec.checkSizeLimit(t, "read report: ", `{"suite":"p4p conformance","users":["`)
}

func FuzzReadConformance(f *testing.F) {
	var b bytes.Buffer
	if err := sample().WriteJSON(&b); err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		b.String(),
		`{"suite":"x"}`,
		`{"suite":"x","started":"2025-03-14T09:26:53.589+05:30","duration_ms":-0}`,
		`{"suite":"\ud800\u0000<>&","users":[],"results":[{"notes":[],"evidence":[{"response":{}}]}]}`,
		`{"suite":"x","results":[{"evidence":[{"request":{"header":{"A":null,"B":[]}},"response":null}]}]}`,
		"{\"suite\":\"\xff\xfe\"}",
		`{"suite":"x"} trailing`,
		`[]`,
		`null`,
		``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		conformanceCodec.checkRoundTrip(t, data)
	})
}

// TestJSONSeverity checks that report.json gives a severity to each
// finding, and to nothing else.
func TestJSONSeverity(t *testing.T) {
	var doc struct {
		Results []map[string]any `json:"results"`
	}
	if err := json.Unmarshal([]byte(rendered(t, sample().WriteJSON)), &doc); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"passed": nil, "skipped": nil, "failed": "failure", "deviated": "deviation", "warned": "warning"}
	seen := map[string]bool{}
	for _, r := range doc.Results {
		outcome, _ := r["outcome"].(string)
		seen[outcome] = true
		if got := r["severity"]; got != want[outcome] {
			t.Errorf("%s (%s): got severity %v, want %v", r["id"], outcome, got, want[outcome])
		}
	}
	if len(seen) != len(want) {
		t.Errorf("the sample has outcomes %v, want each of %v", seen, want)
	}
}
