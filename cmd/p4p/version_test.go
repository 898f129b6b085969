package main

import "testing"

func TestHarnessVersion(t *testing.T) {
	stamped := version
	t.Cleanup(func() { version = stamped })

	version = "v0.5.0-3-gabc1234"
	if got := harnessVersion(); got != version {
		t.Errorf("stamped: got %q, want %q", got, version)
	}
	version = ""
	if got := harnessVersion(); got == "" || got == "unknown" {
		t.Errorf("unstamped: got %q, want the module version or devel", got)
	}
}
