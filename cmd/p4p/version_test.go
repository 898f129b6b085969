package main

import (
	"runtime/debug"
	"testing"
)

func TestHarnessVersion(t *testing.T) {
	stamped := version
	t.Cleanup(func() { version = stamped })
	version = "v0.5.0-3-gabc1234"
	if got := harnessVersion(); got != version {
		t.Errorf("stamped: got %q, want %q", got, version)
	}
}

func TestBuildVersion(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	for _, tt := range []struct {
		main     string
		settings []debug.BuildSetting
		want     string
	}{
		{"v1.2.3", vcs("0123456789abcdef", "true"), "v1.2.3"},
		{"(devel)", vcs("0123456789abcdef", "false"), "devel (0123456789ab)"},
		{"(devel)", vcs("0123456789abcdef", "true"), "devel (0123456789ab-dirty)"},
		{"", vcs("abc", "false"), "devel (abc)"},
		{"(devel)", nil, "devel"},
	} {
		info := &debug.BuildInfo{Main: debug.Module{Version: tt.main}, Settings: tt.settings}
		if got := buildVersion(info); got != tt.want {
			t.Errorf("buildVersion(%q, %v) = %q, want %q", tt.main, tt.settings, got, tt.want)
		}
	}
}
