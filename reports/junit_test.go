package reports

import (
	"bytes"
	"encoding/xml"
	"io"
	"testing"
)

// parseJUnit parses the JUnit XML write writes back, failing the test
// when it is not well-formed; write is a report's WriteJUnit.
func parseJUnit(t *testing.T, write func(io.Writer) error) (junitSuites, string) {
	t.Helper()
	out := rendered(t, write)
	checkWellFormed(t, []byte(out))
	var doc junitSuites
	if err := xml.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("parse junit output: %v\n%s", err, out)
	}
	return doc, out
}

// checkWellFormed reads every token of data with a strict decoder.
func checkWellFormed(t *testing.T, data []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("junit output is not well-formed: %v\n%s", err, data)
		}
	}
}

// checkProperties fails the test when props lack a property of want or
// give it another value.
func checkProperties(t *testing.T, props []junitProperty, want map[string]string) {
	t.Helper()
	got := map[string]string{}
	for _, p := range props {
		got[p.Name] = p.Value
	}
	for name, v := range want {
		if got[name] != v {
			t.Errorf("property %s: got %q, want %q", name, got[name], v)
		}
	}
}

// nastyStrings are strings that break naive XML writers.
var nastyStrings = []string{
	"plain",
	"\x00\x01\x08\x0b\x0c\x1b[31m\x7f",
	"]]>",
	"<![CDATA[ x ]]>",
	"</failure><script>",
	`"quotes" & 'apostrophes' <tags>`,
	"\xff\xfe invalid \xc3\x28 UTF-8",
	"\ud7ff\ue000\ufffe\uffff\U0010ffff",
	"line\r\nbreaks\ttab",
	"\u0085\u2028\u2029",
}

// checkEachNasty runs check on each of nastyStrings, as a subtest.
func checkEachNasty(t *testing.T, check func(*testing.T, string)) {
	for _, s := range nastyStrings {
		t.Run("", func(t *testing.T) { check(t, s) })
	}
}

// addNastySeeds adds nastyStrings to f's corpus.
func addNastySeeds(f *testing.F) {
	for _, s := range nastyStrings {
		f.Add(s)
	}
}

// systemOut is a testcase's system-out, or "" when it has none.
func systemOut(tc junitCase) string {
	if tc.SystemOut == nil {
		return ""
	}
	return tc.SystemOut.Text
}
