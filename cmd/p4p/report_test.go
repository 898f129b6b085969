package main

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"strings"
	"testing"

	"p4p/load"
)

func TestLoadShardFlag(t *testing.T) {
	tests := []struct {
		args  []string
		index string // JOB_COMPLETION_INDEX
		want  load.Shard
		err   string
	}{
		{[]string{"pull", "--shard", "1/4"}, "", load.Shard{Index: 1, Count: 4}, ""},
		{[]string{"pull", "--shard", "/4"}, "3", load.Shard{Index: 3, Count: 4}, ""},
		{[]string{"pull", "--shard", "/4"}, "", load.Shard{}, "JOB_COMPLETION_INDEX is not set"},
		{[]string{"pull", "--shard", "/4"}, "4", load.Shard{}, "from 0 to 3"},
		{[]string{"pull", "--shard", "4/4"}, "", load.Shard{}, "from 0 to 3"},
		{[]string{"pull"}, "2", load.Shard{}, ""},
	}
	for _, tt := range tests {
		t.Setenv(load.JobIndexEnv, tt.index)
		s, _, err := loadScenario(tt.args, io.Discard)
		if tt.err != "" {
			if !errors.As(err, new(usageError)) || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%v with index %q: %v, want a usage error with %q", tt.args, tt.index, err, tt.err)
			}
			continue
		}
		if err != nil || s.Shard != tt.want {
			t.Errorf("%v with index %q: shard %+v, %v; want %+v", tt.args, tt.index, s.Shard, err, tt.want)
		}
	}
}

// TestReportMerge runs two shards of a pull run as p4p load does and
// merges them: both exit 0, and with a shard missing the merge exits 1
// naming it.
func TestReportMerge(t *testing.T) {
	const key = "merge-test-secret-key"
	t.Setenv("P4P_NETWORK_KEY", key)
	var dirs []string
	for _, shard := range []string{"0/2", "1/2"} {
		dir := t.TempDir()
		var stdout, stderr bytes.Buffer
		if code := Main([]string{"load", "pull", "--rate", "40/s", "--duration", "500ms", "--shard", shard, "--report-dir", dir, "-q"}, &stdout, &stderr); code != exitOK {
			t.Skipf("shard %s exit %d (a busy machine can keep a shard short of its rate): %s", shard, code, stderr.String())
		}
		if !strings.Contains(stdout.String(), "Shard:       "+shard+" of run ") {
			t.Errorf("shard %s's summary does not name it:\n%s", shard, stdout.String())
		}
		dirs = append(dirs, dir)
	}
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"report", "merge", dirs[0], dirs[1], "--report-dir", out}, &stdout, &stderr); code != exitOK {
		t.Fatalf("merge: exit %d, %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "Shards (2)") || !strings.Contains(stdout.String(), "20 of 20 requests") {
		t.Errorf("the merged summary lists no shards, or not the whole schedule:\n%s", stdout.String())
	}
	checkNoSecret(t, key, out, stdout.String())
	stdout.Reset()
	stderr.Reset()
	if code := Main([]string{"report", "merge", "--report-dir", t.TempDir(), dirs[1]}, &stdout, &stderr); code != exitFail ||
		!strings.Contains(stderr.String(), "shard 0/2 is missing") {
		t.Errorf("merge of one shard of two: exit %d, stderr %q; want 1 naming shard 0/2", code, stderr.String())
	}
	for _, args := range [][]string{{"report"}, {"report", "merge"}, {"report", "split", dirs[0]}, {"report", "merge", dirs[0], "--nope"}} {
		if code := Main(args, io.Discard, io.Discard); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
}

// FuzzMergeArgs: no arguments panic p4p report merge's parsing, and
// every refusal is a usage error.
func FuzzMergeArgs(f *testing.F) {
	f.Add("a b --report-dir out")
	f.Add("--report-dir out a")
	f.Add("a --report-dir")
	f.Add("-h")
	f.Add("- -- a")
	f.Fuzz(func(t *testing.T, args string) {
		dirs, _, err := mergeArgs(strings.Fields(args), io.Discard)
		if err == nil {
			if len(dirs) == 0 {
				t.Fatalf("args %q: no directories and no error", args)
			}
			return
		}
		if !errors.As(err, new(usageError)) && !errors.Is(err, flag.ErrHelp) {
			t.Fatalf("args %q: %v is not a usage error", args, err)
		}
	})
}
