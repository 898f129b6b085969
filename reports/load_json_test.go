package reports

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

func TestLoadJSONRoundTrip(t *testing.T) {
	for _, s := range loadSamples {
		t.Run(s.name, func(t *testing.T) {
			loadCodec.checkGolden(t, "load-"+s.name+".json.golden", s.load())
		})
	}
}

func TestLoadJSONIsStable(t *testing.T) {
	var first, second bytes.Buffer
	if err := samplePull().WriteJSON(&first); err != nil {
		t.Fatal(err)
	}
	l := samplePull()
	l.Status = map[string]int{"0": 17, "503": 30, "200": 29951} // another insertion order
	if err := l.WriteJSON(&second); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Errorf("equal runs give different JSON")
	}
	if !strings.Contains(first.String(), "\n  \"tool\": \"p4p load\",\n") {
		t.Errorf("JSON is not indented by two spaces:\n%.200s", first.String())
	}
}

func TestReadLoadRejects(t *testing.T) {
	loadCodec.checkRejects(t, "read load summary: ", []rejectCase{
		{"empty", "", "not a JSON object"},
		{"null", "null", "not a JSON object"},
		{"array", `[{"scenario":"pull"}]`, "not a JSON object"},
		{"truncated", `{"scenario":"pull"`, "unexpected EOF"},
		{"trailing object", `{"scenario":"pull"} {}`, "data after the summary object"},
		{"trailing garbage", `{"scenario":"pull"}garbage`, "data after the summary object"},
		{"unknown field", `{"scenario":"pull","rps":100}`, `unknown field "rps"`},
		{"unknown nested field", `{"scenario":"pull","series":[{"start_ms":0,"colour":"red"}]}`, `unknown field "colour"`},
		{"a conformance report", `{"suite":"p4p conformance","results":[]}`, `unknown field "suite"`},
		{"no scenario", `{"tool":"p4p load","passed":true}`, "not a load summary: no scenario"},
		{"wrong type", `{"scenario":"pull","users":"many"}`, "cannot unmarshal string"},
		{"number too large", `{"scenario":"pull","elapsed_ms":1e999}`, "cannot unmarshal number"},
	})
}

func TestReadLoadSizeLimit(t *testing.T) {
	loadCodec.checkSizeLimit(t, "read load summary: ", `{"scenario":"pull","failures":["`)
}

func FuzzReadLoad(f *testing.F) {
	for _, s := range loadSamples {
		var b bytes.Buffer
		if err := s.load().WriteJSON(&b); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes())
	}
	for _, seed := range []string{
		`{"scenario":"pull"}`,
		`{"scenario":"soak","of":"pull","started":"2025-03-14T09:26:53.589+05:30","elapsed_ms":-0,"drift":{}}`,
		`{"scenario":"\ud800\u0000<>&","status_codes":{"200":1,"\u00e9":2},"series":[],"slos":[{}]}`,
		`{"scenario":"propagation","propagation":{"histogram":[]},"latency_histogram":null,"errors":[{"count":-1}]}`,
		`{"scenario":"x","rate":{"expected":9223372036854775807,"workers":18446744073709551615}}`,
		"{\"scenario\":\"\xff\xfe\"}",
		`{"scenario":"x"} trailing`,
		`[]`,
		`null`,
		``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l := loadCodec.checkRoundTrip(t, data)
		if l == nil {
			return
		}
		for _, render := range []func(io.Writer) error{l.WriteText, l.WriteJUnit, l.WriteHTML} {
			if err := render(io.Discard); err != nil {
				t.Errorf("rendering an accepted summary: %v", err)
			}
		}
	})
}
