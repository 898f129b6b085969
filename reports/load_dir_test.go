package reports

import (
	"bytes"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// leakyLoad is the sample propagation run with the fake key and token
// where a careless producer might leave them: the endpoint, an error's
// example and kind, a failure and an SLO message.
func leakyLoad() *Load {
	l := samplePropagation()
	l.Endpoint = "https://app.example.org/p4p/pull?id={id}&key=" + fakeKey
	l.Errors[0].Example = "dial tcp: lftoken=" + fakeToken + ": connection refused"
	l.Errors[1].Kind = "status 429 for " + fakeKey
	l.Failures = append(l.Failures, "the token "+fakeToken+" expired")
	l.SLOs[1].Message = "within_promise was 99.52% with key " + fakeKey
	return l
}

func TestWriteLoadDirRedacts(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "load-1")
	files, err := WriteLoadDir(dir, leakyLoad(), fakeKey, fakeToken, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{files.Summary, files.JUnit, files.HTML} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		checkNoSecrets(t, path, data)
		if !bytes.Contains(data, []byte("[redacted]")) {
			t.Errorf("%s shows no redaction", path)
		}
	}
}

func TestLoadRenderingsNeverLeak(t *testing.T) {
	r := leakyLoad().Redact(fakeKey, fakeToken)
	for _, render := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{"json", r.WriteJSON}, {"junit", r.WriteJUnit}, {"text", r.WriteText}, {"html", r.WriteHTML},
	} {
		var b bytes.Buffer
		if err := render.write(&b); err != nil {
			t.Fatal(err)
		}
		checkNoSecrets(t, render.name, b.Bytes())
	}
}

func TestWriteLoadDirFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "load-2")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	raw := []byte("vegeta results, gob-encoded")
	if err := os.WriteFile(filepath.Join(dir, "results.bin"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	l := sampleSoak()
	files, err := WriteLoadDir(dir, l)
	if err != nil {
		t.Fatal(err)
	}
	want := LoadFiles{
		Summary: filepath.Join(dir, "summary.json"), JUnit: filepath.Join(dir, "junit.xml"),
		HTML: filepath.Join(dir, "report.html"),
	}
	if files != want {
		t.Errorf("got files %+v, want %+v", files, want)
	}
	if got, err := os.ReadFile(filepath.Join(dir, "results.bin")); err != nil || !bytes.Equal(got, raw) {
		t.Errorf("results.bin changed: %q, %v", got, err)
	}
	for path, render := range map[string]func(io.Writer) error{
		files.Summary: l.WriteJSON, files.JUnit: l.WriteJUnit, files.HTML: l.WriteHTML,
	} {
		var b bytes.Buffer
		if err := render(&b); err != nil {
			t.Fatal(err)
		}
		if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, b.Bytes()) {
			t.Errorf("%s differs from the rendering (%v)", path, err)
		}
	}
}

func TestWriteLoadDirRefusesUnredactableSecret(t *testing.T) {
	// JUnit names the passing testcase "run completed" whatever the data
	// says, so redaction cannot remove that and WriteLoadDir must refuse.
	const secret = "run completed"
	dir := filepath.Join(t.TempDir(), "load-3")
	_, err := WriteLoadDir(dir, samplePull(), secret)
	checkRefusedSecret(t, err, dir, secret)
}

func TestWriteLoadDirRemovesPartialFiles(t *testing.T) {
	dir := t.TempDir()
	blockJUnit(t, dir)
	if err := os.WriteFile(filepath.Join(dir, "results.bin"), []byte("raw"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteLoadDir(dir, samplePull()); err == nil {
		t.Fatal("got no error, want one")
	}
	checkNotExist(t, filepath.Join(dir, "summary.json"), filepath.Join(dir, "report.html"))
	if _, err := os.Stat(filepath.Join(dir, "results.bin")); err != nil {
		t.Errorf("results.bin: %v, want it left alone", err)
	}
}

func TestWriteLoadDirRefusesNaN(t *testing.T) {
	l := samplePull()
	l.Requests.Success = math.NaN()
	dir := filepath.Join(t.TempDir(), "load-4")
	if _, err := WriteLoadDir(dir, l); err == nil || !strings.Contains(err.Error(), "unsupported value") {
		t.Errorf("got error %v, want one about an unsupported value", err)
	}
	checkNotExist(t, dir)
}
