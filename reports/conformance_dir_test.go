package reports

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// leakySample is the sample report with the fake key and token in a
// message, header values, a body and a curl command.
func leakySample() *Conformance {
	c := sample()
	r := &c.Results[sampleFailed]
	r.Message = "pulled with key " + fakeKey + " and token " + fakeToken
	ex := &r.Evidence[0]
	ex.Request.Header["Authorization"] = []string{"Bearer " + fakeToken}
	ex.Request.Header["X-Network-Key"] = []string{fakeKey}
	ex.Response.Body = `{"echo":"` + fakeToken + `","key":"` + fakeKey + `"}`
	ex.Curl = "curl -H 'X-Network-Key: " + fakeKey + "' 'https://app.example.org/p4p/pull?id=u-1001&lftoken=" + fakeToken + "'"
	return c
}

func TestWriteDirRedacts(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run-1")
	files, err := WriteDir(dir, leakySample(), fakeKey, fakeToken, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{files.JSON, files.JUnit, files.HTML, files.Archive} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		checkNoSecrets(t, path, data)
	}
	members := readArchive(t, files.Archive)
	for name, data := range members {
		checkNoSecrets(t, "results.tar.gz:"+name, data)
	}
	json, _ := os.ReadFile(files.JSON)
	if !bytes.Contains(json, []byte("pulled with key [redacted] and token [redacted]")) {
		t.Errorf("report.json lacks the redacted message")
	}
}

func TestWriteDirFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "run-2")
	c := sample()
	files, err := WriteDir(dir, c)
	if err != nil {
		t.Fatal(err)
	}
	want := Files{
		JSON: filepath.Join(dir, "report.json"), JUnit: filepath.Join(dir, "junit.xml"),
		HTML: filepath.Join(dir, "report.html"), Archive: filepath.Join(dir, "results.tar.gz"),
	}
	if files != want {
		t.Errorf("got files %+v, want %+v", files, want)
	}
	members := readArchive(t, files.Archive)
	var names []string
	for name := range members {
		names = append(names, name)
	}
	slices.Sort(names)
	if got, want := strings.Join(names, " "), "run-2/junit.xml run-2/report.html run-2/report.json"; got != want {
		t.Errorf("archive members: got %s, want %s", got, want)
	}
	for name, data := range members {
		onDisk, err := os.ReadFile(filepath.Join(dir, filepath.Base(name)))
		if err != nil || !bytes.Equal(onDisk, data) {
			t.Errorf("archive member %s differs from the file on disk (%v)", name, err)
		}
	}
}

// readArchive reads a results.tar.gz, checks every member is a regular
// file with mode 0644 and the sample's start time, and returns the
// members by name.
func readArchive(t *testing.T, path string) map[string][]byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	members := map[string][]byte{}
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return members
		}
		if err != nil {
			t.Fatal(err)
		}
		if hdr.Typeflag != tar.TypeReg || hdr.Mode != 0o644 || !hdr.ModTime.Equal(sampleStarted.Truncate(time.Second)) {
			t.Errorf("%s: got type %c mode %o mtime %v, want regular, 0644, %v", hdr.Name, hdr.Typeflag, hdr.Mode, hdr.ModTime, sampleStarted.Truncate(time.Second))
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		members[hdr.Name] = data
	}
}

func TestWriteDirRefusesUnredactableSecret(t *testing.T) {
	// JUnit names the suite "p4p conformance" whatever the data says,
	// so redaction cannot remove that and WriteDir must refuse.
	const secret = "p4p conformance"
	dir := filepath.Join(t.TempDir(), "run-3")
	_, err := WriteDir(dir, sample(), secret)
	checkRefusedSecret(t, err, dir, secret)
}

func TestWriteDirRemovesPartialFiles(t *testing.T) {
	dir := t.TempDir()
	blockJUnit(t, dir)
	if _, err := WriteDir(dir, sample()); err == nil {
		t.Fatal("got no error, want one")
	}
	checkNotExist(t, filepath.Join(dir, "report.json"), filepath.Join(dir, "report.html"), filepath.Join(dir, "results.tar.gz"))
}

func TestWriteDirArchiveIsReproducible(t *testing.T) {
	var archives [][]byte
	for range 2 {
		files, err := WriteDir(filepath.Join(t.TempDir(), "run"), sample())
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(files.Archive)
		if err != nil {
			t.Fatal(err)
		}
		archives = append(archives, data)
	}
	if !bytes.Equal(archives[0], archives[1]) {
		t.Errorf("two archives of the same run differ")
	}
}
