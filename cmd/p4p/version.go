package main

import "runtime/debug"

// version is set at link time by make build (-X main.version=…, from git
// describe), for builds where Go does not stamp VCS information.
var version string

// harnessVersion names this p4p build, for the reports of the libraries it
// runs: the version make stamped, else what buildVersion reads from the
// build information Go stamped.
func harnessVersion() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	return buildVersion(info)
}

// buildVersion is the module version of a build, else its VCS revision as
// "devel (abcdef123456)", "-dirty" when modified, else "devel".
func buildVersion(info *debug.BuildInfo) string {
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
