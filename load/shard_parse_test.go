package load_test

import (
	"strings"
	"testing"

	"p4p/load"
)

func TestParseShard(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == load.JobIndexEnv {
				return v
			}
			return ""
		}
	}
	// The run's id, from P4P_RUN_ID, is part of the shard.
	withRun := func(run string) func(string) string {
		return func(k string) string {
			if k == load.RunIDEnv {
				return run
			}
			return ""
		}
	}
	if got, err := load.ParseShard("1/2", withRun("job-9f3e.uid:1")); err != nil || got != (load.Shard{Index: 1, Count: 2, Run: "job-9f3e.uid:1"}) {
		t.Errorf("ParseShard with %s: %+v, %v", load.RunIDEnv, got, err)
	}
	for _, bad := range []string{"a b", "x/y", strings.Repeat("a", 129), "ü"} {
		if _, err := load.ParseShard("1/2", withRun(bad)); err == nil || !strings.Contains(err.Error(), load.RunIDEnv) {
			t.Errorf("ParseShard with %s=%q: %v, want an error naming it", load.RunIDEnv, bad, err)
		}
	}
	for _, c := range []struct {
		in, index string
		want      load.Shard
		err       string
	}{
		{"0/2", "", load.Shard{Index: 0, Count: 2}, ""},
		{"3/4", "", load.Shard{Index: 3, Count: 4}, ""},
		{"0/1", "", load.Shard{Index: 0, Count: 1}, ""},
		{"/4", "2", load.Shard{Index: 2, Count: 4}, ""},
		{"1/4", "2", load.Shard{Index: 1, Count: 4}, ""}, // the index given wins
		{"/4", "", load.Shard{}, "JOB_COMPLETION_INDEX is not set"},
		{"/4", "4", load.Shard{}, "from 0 to 3"},
		{"/4", "-1", load.Shard{}, "from 0 to 3"},
		{"/4", "x", load.Shard{}, "from 0 to 3"},
		{"2/2", "", load.Shard{}, "from 0 to 1"},
		{"0/0", "", load.Shard{}, "from 1 to 1024"},
		{"0/1025", "", load.Shard{}, "from 1 to 1024"},
		{"+1/2", "", load.Shard{}, "whole number"},
		{"1", "", load.Shard{}, "write i/n"},
		{"1/2/3", "", load.Shard{}, "from 1 to 1024"},
		{strings.Repeat("1", 40) + "/2", "", load.Shard{}, "longer than"},
	} {
		got, err := load.ParseShard(c.in, env(c.index))
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseShard(%q) with index %q: %v, want an error with %q", c.in, c.index, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ParseShard(%q) with index %q = %+v, %v; want %+v", c.in, c.index, got, err, c.want)
		}
	}
}

// FuzzParseShard: no input panics the parser, and what it accepts is a
// shard that writes back as it was read.
func FuzzParseShard(f *testing.F) {
	for _, s := range []string{"0/2", "/4", "3/4", "1024/1024", "0/0", "", "/", "1/", "00001/00002"} {
		f.Add(s, "1")
	}
	f.Fuzz(func(t *testing.T, s, index string) {
		sh, err := load.ParseShard(s, func(string) string { return index })
		if err != nil {
			return
		}
		if sh.Count < 1 || sh.Count > load.MaxShards || sh.Index < 0 || sh.Index >= sh.Count {
			t.Fatalf("ParseShard(%q, %q) = %+v", s, index, sh)
		}
		again, err := load.ParseShard(sh.String(), func(k string) string {
			if k == load.RunIDEnv {
				return sh.Run
			}
			return ""
		})
		if err != nil || again != sh {
			t.Fatalf("%+v written %q reads back as %+v, %v", sh, sh.String(), again, err)
		}
	})
}
