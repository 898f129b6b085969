package reports

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Fake secrets: a network key and a token as a leaky producer might
// have left them in a report.
const (
	fakeKey   = "nk_live_9f8e7d6c5b4a<&>'+"
	fakeToken = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyIjoidS0xMDAxIn0.c2lnbmF0dXJl"
)

// checkNoSecrets fails the test if data holds the fake key or token in
// any escaped form.
func checkNoSecrets(t *testing.T, name string, data []byte) {
	t.Helper()
	for _, s := range []string{fakeKey, fakeToken} {
		for _, form := range secretForms(s) {
			if bytes.Contains(data, []byte(form)) {
				t.Errorf("%s holds a secret as %q", name, form)
			}
		}
	}
}

// checkRefusedSecret checks that err, from writing to dir the reports of
// a run whose renderings hold the one secret, names dir and the secret
// by its position only, and that dir was not created.
func checkRefusedSecret(t *testing.T, err error, dir, secret string) {
	t.Helper()
	if err == nil {
		t.Fatal("got no error, want one")
	}
	if strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "secret 1 of 1") ||
		!strings.HasPrefix(err.Error(), "write reports to "+dir+": ") {
		t.Errorf("got error %q, want one naming the directory and the secret by position only", err)
	}
	checkNotExist(t, dir)
}

// checkNotExist fails the test when any of paths exists.
func checkNotExist(t *testing.T, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: got %v from stat, want it not to exist", p, err)
		}
	}
}

// blockJUnit makes a directory where junit.xml should go in dir, so that
// writing junit.xml there fails.
func blockJUnit(t *testing.T, dir string) {
	t.Helper()
	if err := os.Mkdir(filepath.Join(dir, "junit.xml"), 0o755); err != nil {
		t.Fatal(err)
	}
}
