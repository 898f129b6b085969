package load

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"p4p/load/slo"
	"p4p/schemas"
)

const minimalYAML = "scenario: pull\nrate: 500/s\nduration: 60s\n"

func TestDecodeScenario(t *testing.T) {
	minimal := Scenario{Kind: Pull, Rate: Rate{500, time.Second}, Duration: Duration(time.Minute)}
	tests := []struct {
		name, format, data string
		want               Scenario
	}{
		{"yaml", "yaml", minimalYAML, minimal},
		{"yaml number rate", "yaml", "scenario: pull\nrate: 500\nduration: 60s\n", minimal},
		{"yaml exponent rate", "yaml", "scenario: pull\nrate: 5e2\nduration: 1m\n", minimal},
		{"yaml quoted", "yaml", "'scenario': \"pull\"\nrate: '500/1s'\nduration: \"1m0s\"\n", minimal},
		{"yaml flow", "yaml", "{scenario: pull, rate: 500/s, duration: 60s}", minimal},
		{"yaml anchor without alias", "yaml", "scenario: &k pull\nrate: 500/s\nduration: 60s\n", minimal},
		{"yaml explicit document", "yaml", "---\n" + minimalYAML + "...\n", minimal},
		{"yaml date as name", "yaml", minimalYAML + "name: 2026-01-02\n", changed(minimal, func(s *Scenario) { s.Name = "2026-01-02" })},
		{"json", "json", `{"scenario":"pull","rate":"500/s","duration":"60s"}`, minimal},
		{"json number rate", "json", `{"scenario":"pull","rate":500,"duration":"60s"}`, minimal},
		{"as fast as possible", "yaml", "scenario: pull\nrate: 0\nmax_workers: 64\nduration: 60s\n",
			Scenario{Kind: Pull, MaxWorkers: 64, Duration: Duration(time.Minute)}},
		{"every field", "yaml", `
name: everything
scenario: soak
of: propagation
pull_url: https://example.com/livefyre/{id}/pull?v=2
network: example.fyre.co
key_env: STAGING_KEY
users: [u-1, user.2]
rate: 10/100ms
ramp: sine
amplitude: 50/s
period: 1m30s
duration: 2h
workers: 4
max_workers: 64
connections: 100
timeout: 2s
livefyre: http://127.0.0.1:8080
delay: 1m-10m
time_scale: 60.5
promise: 10m
drain: 30s
window: 5m
slo: [lost==0, "p99<1s"]
fault: slow
report_dir: reports/x
`, Scenario{
			Name: "everything", Kind: Soak, Of: Propagation, PullURL: "https://example.com/livefyre/{id}/pull?v=2",
			Network: "example.fyre.co", KeyEnv: "STAGING_KEY", Users: []string{"u-1", "user.2"},
			Rate: Rate{10, 100 * time.Millisecond}, Ramp: Sine, Amplitude: Rate{50, time.Second},
			Period: Duration(90 * time.Second), Duration: Duration(2 * time.Hour), Workers: 4, MaxWorkers: 64,
			Connections: 100, Timeout: Duration(2 * time.Second), Livefyre: "http://127.0.0.1:8080", Delay: "1m-10m",
			TimeScale: 60.5, Promise: Duration(10 * time.Minute), Drain: Duration(30 * time.Second),
			Window: Duration(5 * time.Minute), SLOs: []string{"lost==0", "p99<1s"}, Fault: "slow", ReportDir: "reports/x",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeScenario([]byte(tt.data), tt.format)
			if err != nil {
				t.Fatalf("got error %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("got - want +:\n%s", diff)
			}
		})
	}
}

func mkdir(t *testing.T, path string) string {
	t.Helper()
	if err := os.Mkdir(path, 0o700); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDecodeScenarioErrors(t *testing.T) {
	tests := []struct {
		name, format, data string
		want               []string // parts of the error, each on its own line
	}{
		{"format", "toml", minimalYAML, []string{`scenario: format "toml": want yaml or json`}},
		{"empty", "yaml", " \n", []string{"scenario: empty; a scenario needs at least scenario, rate and duration"}},
		{"only comments", "yaml", "# nothing\n", []string{"scenario: empty"}},
		{"empty json", "json", "", []string{"scenario: empty"}},
		{"too large", "yaml", minimalYAML + "name: " + strings.Repeat("x", MaxScenarioBytes), []string{"scenario: over 1048576 bytes (1 MiB)"}},
		{"invalid UTF-8", "yaml", minimalYAML + "name: \xff\n", []string{"scenario: not valid UTF-8"}},
		{"yaml syntax", "yaml", "scenario: [pull\n", []string{"scenario: not valid YAML: line 1"}},
		{"two documents", "yaml", minimalYAML + "---\n" + minimalYAML, []string{"more than one document"}},
		{"list", "yaml", "- pull\n", []string{"scenario: a scenario is a mapping of fields such as scenario: pull, not a list"}},
		{"string", "json", `"pull"`, []string{`not "pull"`}},
		{"bad rate", "yaml", "scenario: pull\nrate: fast\nduration: 60s\n",
			[]string{`scenario: /rate: "fast" is not a rate such as 500/s, 50/1m or 0 (as fast as possible)`}},
		{"rate over the limit", "yaml", "scenario: pull\nrate: 20000000/s\nduration: 60s\n",
			[]string{`/rate: "20000000/s" is 2e+07 requests per second, over the limit of 1e+07`}},
		{"number rate over the limit", "yaml", "scenario: pull\nrate: 20000000\nduration: 60s\n", []string{"/rate: 20000000 is not a rate"}},
		{"fractional rate", "yaml", "scenario: pull\nrate: 1.5\nduration: 60s\n", []string{"/rate: 1.5 is not a rate"}},
		{"rate as a list", "yaml", "scenario: pull\nrate: [500]\nduration: 60s\n", []string{"/rate: a list is not a rate"}},
		{"number duration", "yaml", "scenario: pull\nrate: 5\nduration: 60\n", []string{"/duration: 60 is not a duration such as 90s, 5m or 1h30m"}},
		{"negative duration", "yaml", "scenario: pull\nrate: 5\nduration: -60s\n", []string{`/duration: "-60s" is not a duration`}},
		{"overflowing duration", "yaml", "scenario: pull\nrate: 5\nduration: 9999999999h\n", []string{`/duration: "9999999999h" is not a duration`}},
		{"missing fields", "yaml", "name: x\n", []string{
			"scenario: /duration: required: a duration such as 60s",
			"scenario: /rate: required: a rate such as 500/s",
			"scenario: /scenario: required: pull, propagation or soak"}},
		{"key", "yaml", minimalYAML + "key: s3cret\n", []string{
			"scenario: /key: the network key is never written in a scenario file: set key_env to the environment variable that holds it (P4P_NETWORK_KEY if absent)"}},
		{"dashed field", "yaml", minimalYAML + "pull-url: https://example.com/{id}\n", []string{"/pull-url: unknown field; did you mean pull_url?"}},
		{"capitalised field", "json", `{"scenario":"pull","rate":"5/s","duration":"1m","Rate":"5/s"}`, []string{"/Rate: unknown field; did you mean rate?"}},
		{"key with a newline", "yaml", minimalYAML + "\"a\\nb\": 5\n", []string{`scenario: /a\nb: unknown field`}},
		{"unknown field", "yaml", minimalYAML + "burst: 5\n", []string{"/burst: unknown field; see schemas/scenario.schema.json"}},
		{"bad enums", "yaml", "scenario: burst\nof: soak\nramp: exp\nrate: 5\nduration: 1s\n", []string{
			`/of: "soak" is not "pull" or "propagation"`, `/ramp: "exp" is not "constant", "linear" or "sine"`, `/scenario: "burst" is not "pull", "propagation" or "soak"`}},
		{"bad pull_url", "yaml", minimalYAML + "pull_url: https://example.com/pull\n",
			[]string{`/pull_url: not a Pull URL template: "https://example.com/pull" has no {id}`}},
		{"upper-case placeholder", "yaml", minimalYAML + "pull_url: https://example.com/pull?id={ID}\n",
			[]string{`/pull_url: not a Pull URL template: "https://example.com/pull?id={ID}" has no {id}: write the literal {id} where the user id goes, e.g. https://example.com/pull?id={id}; {ID} is not it`}},
		{"ftp pull_url", "yaml", minimalYAML + "pull_url: ftp://example.com/{id}\n", []string{`/pull_url: not a Pull URL template: "ftp://example.com/{id}" is not an http or https URL`}},
		{"bad livefyre", "yaml", minimalYAML + "livefyre: 127.0.0.1:8080\n", []string{`/livefyre: "127.0.0.1:8080" is not an http or https URL`}},
		{"bad network", "yaml", minimalYAML + "network: example.com\n", []string{`/network: not a Livefyre network name: "example.com" does not end in .fyre.co`}},
		{"bad key_env", "yaml", minimalYAML + "key_env: my key\n", []string{`/key_env: "my key" is not an environment variable's name`}},
		{"bad user", "yaml", minimalYAML + "users: [u-1, 'a b', 7]\n", []string{
			`/users/1: not a user id: "a b": only letters`, "/users/2: 7 is not a user id"}},
		{"no users", "yaml", minimalYAML + "users: []\n", []string{"/users: got 0 items, want at least 1"}},
		{"bad delay", "yaml", minimalYAML + "delay: soon\n", []string{`/delay: "soon" is not a delay such as 90s or a range such as 1m-10m`}},
		{"bad fault", "yaml", minimalYAML + "fault: Slow\n", []string{`/fault: "Slow" is not a fault of p4p refapp`}},
		{"zero workers", "yaml", minimalYAML + "workers: 0\n", []string{"/workers: 0 is less than 1"}},
		{"too many users", "yaml", minimalYAML + "user_count: 2000000\n", []string{"/user_count: 2000000 is more than 1000000"}},
		{"zero time_scale", "yaml", minimalYAML + "time_scale: 0\n", []string{"/time_scale: 0 must be more than 0"}},
		{"NaN", "yaml", minimalYAML + "time_scale: .nan\n", []string{`/time_scale: ".nan" is not a number JSON can hold`}},
		{"huge float", "json", `{"scenario":"pull","rate":"5/s","duration":"1m","time_scale":1e400}`,
			[]string{"/time_scale: got number 1e400, which does not fit a float64"}},
		{"empty slo", "yaml", minimalYAML + "slo: ['']\n", []string{`/slo/0: must not be empty`}},
		{"alias", "yaml", "scenario: &k pull\nof: *k\nrate: 5\nduration: 1s\n", []string{"/of: YAML aliases (*k) are not allowed in a scenario file"}},
		{"merge key", "yaml", "base: &b {rate: 5}\n<<: *b\n", []string{"/<<: YAML merge keys (<<) are not allowed"}},
		{"alias key", "yaml", "k: &k rate\n*k : 5\n", []string{"/*k: YAML aliases (*k) are not allowed"}},
		{"number key", "yaml", minimalYAML + "1: x\n", []string{`/1: the key "1" is not a string`}},
		{"null key", "yaml", minimalYAML + "~: x\n", []string{`/~0: the key "~" is not a string`}},
		{"complex key", "yaml", minimalYAML + "? [a]\n: x\n", []string{"/?: a key is a list"}},
		{"duplicate key", "yaml", minimalYAML + "rate: 6/s\n", []string{"/rate: given more than once"}},
		{"tag", "yaml", minimalYAML + "name: !!binary aGk=\n", []string{"/name: YAML tags (!!binary) are not allowed"}},
		{"custom tag", "yaml", minimalYAML + "name: !mine x\n", []string{"/name: YAML tags (!mine) are not allowed"}},
		{"tag with a newline", "yaml", "!%0A", []string{`scenario: YAML tags (!\n) are not allowed`}},
		{"bad bool", "yaml", minimalYAML + "name: !!bool maybe\n", []string{`/name: "maybe" is not a bool`}},
		{"huge int", "yaml", minimalYAML + "workers: 0x" + strings.Repeat("f", 300) + "\n", []string{"/workers: "}},
		{"deep", "yaml", minimalYAML + "slo: " + strings.Repeat("[", 20) + strings.Repeat("]", 20) + "\n", []string{"nests more than 8 levels"}},
		{"deep json", "json", strings.Repeat("[", 20) + strings.Repeat("]", 20), []string{"scenario: not valid JSON: /0/0/0/0/0/0/0/0 nests more than 8 levels"}},
		{"json syntax", "json", "{\n\"scenario\": pull}", []string{"scenario: not valid JSON: line 2: invalid character 'p'"}},
		{"json truncated", "json", `{"scenario":"pull"`, []string{"scenario: not valid JSON: it ends too soon"}},
		{"json trailing", "json", `{"scenario":"pull","rate":5,"duration":"1s"} {}`, []string{"scenario: not valid JSON: data after the JSON value"}},
		{"json duplicate", "json", `{"scenario":"pull","rate":5,"duration":"1s","rate":6}`, []string{"scenario: /rate: given more than once"}},
		{"every problem at once", "yaml", "scenario: burst\nrate: fast\nduration: 1 minute\nkey: x\nworkers: 0\n", []string{
			"/duration:", "/key:", "/rate:", "/scenario:", "/workers:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeScenario([]byte(tt.data), tt.format)
			if !errors.Is(err, ErrScenario) {
				t.Fatalf("got %v, want an error wrapping ErrScenario", err)
			}
			lines := strings.Split(err.Error(), "\n")
			for _, w := range tt.want {
				if !slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, w) }) {
					t.Errorf("got error\n%s\nwant a line containing %q", err, w)
				}
			}
			if len(lines) != len(tt.want) {
				t.Errorf("got %d problems, want %d:\n%s", len(lines), len(tt.want), err)
			}
		})
	}
}

func TestReadScenario(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	tests := []struct {
		name    string
		path    string
		wantErr string
	}{
		{"yaml", write("a.yaml", minimalYAML), ""},
		{"yml", write("b.YML", minimalYAML), ""},
		{"json", write("c.json", `{"scenario":"pull","rate":"500/s","duration":"60s"}`), ""},
		{"bad field", write("nightly.yaml", "scenario: pull\nrate: fast\nduration: 60s\n"),
			filepath.Join(dir, "nightly.yaml") + `: /rate: "fast" is not a rate such as 500/s`},
		{"yaml as json", write("d.json", minimalYAML), filepath.Join(dir, "d.json") + ": not valid JSON"},
		{"extension", write("e.toml", minimalYAML), filepath.Join(dir, "e.toml") + ": want a .yaml, .yml or .json scenario file"},
		{"no extension", write("f", minimalYAML), "want a .yaml, .yml or .json scenario file"},
		{"missing", filepath.Join(dir, "none.yaml"), "bad scenario: open " + filepath.Join(dir, "none.yaml")},
		{"directory", mkdir(t, filepath.Join(dir, "g.yaml")), "bad scenario: read " + filepath.Join(dir, "g.yaml")},
		{"too large", write("h.yaml", minimalYAML+"# "+strings.Repeat("x", MaxScenarioBytes)), "h.yaml: over 1048576 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadScenario(tt.path)
			checkErr(t, err, tt.wantErr)
			if err != nil && !errors.Is(err, ErrScenario) {
				t.Errorf("got %v, want it to wrap ErrScenario", err)
			}
			if err == nil && got.Rate != (Rate{500, time.Second}) {
				t.Errorf("got rate %v, want 500/s", got.Rate)
			}
		})
	}
}

// TestScenarioFiles checks the example scenarios, which make and CI run.
func TestScenarioFiles(t *testing.T) {
	paths, err := filepath.Glob("scenarios/*")
	if err != nil || len(paths) == 0 {
		t.Fatalf("got %v, %v; want the example scenarios", paths, err)
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			s, err := ReadScenario(path)
			if err != nil {
				t.Fatal(err)
			}
			s = s.LookupKey(func(string) string { return "" })
			if s, err = s.Check(); err != nil {
				t.Fatal(err)
			}
			scenario := string(s.Kind)
			if s.Kind == Soak {
				scenario += "-" + string(s.Of)
			}
			if _, err := slo.ParseAll(s.SLOs, scenario); err != nil {
				t.Error(err)
			}
			if s.Name == "" || len(s.SLOs) == 0 || s.ReportDir == "" {
				t.Errorf("got name %q, %d SLOs, report dir %q; want an example to show all three", s.Name, len(s.SLOs), s.ReportDir)
			}
		})
	}
}

// TestSchemaNamesEveryField keeps the schema's properties and Scenario's
// JSON tags the same.
func TestSchemaNamesEveryField(t *testing.T) {
	data, err := schemas.FS.ReadFile(schemas.Scenario)
	if err != nil {
		t.Fatal(err)
	}
	var s struct{ Properties map[string]json.RawMessage }
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	got := slices.Sorted(func(yield func(string) bool) {
		for k := range s.Properties {
			if !yield(k) {
				return
			}
		}
	})
	want := slices.Sorted(slices.Values(scenarioFields()))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("schema properties - Scenario's JSON tags +:\n%s", diff)
	}
}

// FuzzDecodeScenario checks that DecodeScenario never panics, that its
// errors wrap ErrScenario and name the input on every line, and that a
// scenario it accepts, written as JSON, decodes to the same scenario.
func FuzzDecodeScenario(f *testing.F) {
	paths, _ := filepath.Glob("scenarios/*.yaml")
	for _, path := range paths {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data, false)
		}
	}
	for _, seed := range []struct {
		data string
		json bool
	}{
		{minimalYAML, false},
		{"scenario: pull\nrate: 0\nmax_workers: 5\nduration: 1.5h\nusers: [a, b]\ntime_scale: 1e-3\n", false},
		{"scenario: &a pull\nof: *a\n<<: {}\n1: 2\n", false},
		{"{scenario: soak, rate: 10/100ms, duration: 90m, ramp: sine, amplitude: 1/s, period: 1m}", false},
		{`{"scenario":"propagation","rate":5,"duration":"1m","delay":"1m-10m","time_scale":60}`, true},
		{`{"scenario":"pull","rate":"5/s","duration":"1m","rate":1}`, true},
		{`[[[[]]]]`, true},
		{"!%0A", false},
	} {
		f.Add([]byte(seed.data), seed.json)
	}
	f.Fuzz(func(t *testing.T, data []byte, isJSON bool) {
		format := map[bool]string{false: "yaml", true: "json"}[isJSON]
		s, err := DecodeScenario(data, format)
		if err != nil {
			if !errors.Is(err, ErrScenario) {
				t.Fatalf("got %v, want an error wrapping ErrScenario", err)
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, "scenario: ") {
					t.Fatalf("got error line %q, want it to name the input", line)
				}
			}
			return
		}
		out, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("marshal %+v: %v", s, err)
		}
		back, err := DecodeScenario(out, "json")
		if err != nil {
			t.Fatalf("decode %s: %v", out, err)
		}
		if diff := cmp.Diff(s, back, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("%s: decoded - re-decoded +:\n%s", out, diff)
		}
	})
}
