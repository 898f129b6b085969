package conformance

import "runtime/debug"

// revision is set at link time by make build (-X p4p/conformance.revision=…,
// from git describe), for builds where Go does not stamp VCS information.
var revision string

// HarnessVersion names the p4p build running the suite: the revision make
// stamped, its module version, or the VCS revision Go stamped.
func HarnessVersion() string {
	if revision != "" {
		return revision
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	return "devel (" + rev + ")"
}
