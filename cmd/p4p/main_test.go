package main

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"p4p"

	"p4p/conformance"
)

func TestMainUsage(t *testing.T) {
	tests := []struct {
		args    []string
		want    int
		wantErr string
	}{
		{nil, exitUsage, "usage: p4p COMMAND"},
		{[]string{"help"}, exitOK, "usage: p4p COMMAND"},
		{[]string{"nope"}, exitUsage, `unknown command "nope"`},
		{[]string{"mock", "--key", "k"}, exitUsage, "--network is required"},
		{[]string{"mock", "--network", "x.fyre.co"}, exitUsage, "--key is required"},
		{[]string{"mock", "--network", "example.com", "--key", "k"}, exitUsage, "does not end in .fyre.co"},
		{[]string{"mock", "--network", "x.fyre.co", "--key", "k", "--delay", "10m-1m"}, exitUsage, "min <= max"},
		{[]string{"mock", "--network", "x.fyre.co", "--key", "k", "--workers", "0"}, exitUsage, "--workers must be at least 1"},
		{[]string{"mock", "--network", "x.fyre.co", "--key", "k", "--bogus"}, exitUsage, "flag provided but not defined"},
		{[]string{"mock", "--network", "x.fyre.co", "--key", "k", "extra"}, exitUsage, `unexpected argument "extra"`},
		{[]string{"refapp", "--network", "x.fyre.co", "--key", "k", "--users", "0"}, exitUsage, "--users must be between"},
		{[]string{"refapp", "--network", "x.fyre.co", "--key", "k", "--users-file", "/nonexistent.json"}, exitUsage, "nonexistent"},
		{[]string{"token", "--network", "x.fyre.co", "--key", "k", "--style", "php"}, exitUsage, "--style"},
		{[]string{"token", "--network", "x.fyre.co", "--key", "k", "--user", "bad user"}, exitUsage, ""},
		{[]string{"token", "--network", "x.fyre.co", "--key", "k", "--check", "a.b.c"}, exitFail, "is not valid"},
		{[]string{"token", "--network", "x.fyre.co", "--key", "k", "--near-miss", "nope"}, exitUsage, "--near-miss \"nope\": no token has that name"},
		{[]string{"token", "--network", "x.fyre.co", "--key", "k", "--valid-form", "nope"}, exitUsage, "--valid-form \"nope\": no token has that name"},
		{[]string{"demo", "--users", "0"}, exitUsage, "--users"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Setenv("P4P_NETWORK", "")
			t.Setenv("P4P_NETWORK_KEY", "")
			var stderr strings.Builder
			if got := Main(tt.args, io.Discard, &stderr); got != tt.want {
				t.Errorf("exit %d, want %d; stderr: %s", got, tt.want, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.wantErr) {
				t.Errorf("stderr %q, want it to contain %q", stderr.String(), tt.wantErr)
			}
		})
	}
}

// TestToken: p4p token prints a token that p4p token --check accepts, and
// the check never prints the token back.
func TestToken(t *testing.T) {
	var out, stderr strings.Builder
	base := []string{"--network", "x.fyre.co", "--key", "secret-key"}
	if code := Main(append([]string{"token"}, append(base, "--ttl", "1h", "--style", "node")...), &out, &stderr); code != exitOK {
		t.Fatalf("token: exit %d: %s", code, stderr.String())
	}
	tok := strings.TrimSpace(out.String())
	out.Reset()
	if code := Main(append([]string{"token", "--check", tok}, base...), &out, &stderr); code != exitOK {
		t.Fatalf("token --check: exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{`"valid": true`, `"user_id": "system"`, `"domain": "x.fyre.co"`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("check output %s lacks %s", out.String(), want)
		}
	}
	stderr.Reset()
	if code := Main([]string{"token", "--check", tok, "--network", "x.fyre.co", "--key", "other"}, &out, &stderr); code != exitFail {
		t.Errorf("check with the wrong key: exit %d, want %d", code, exitFail)
	}
	if strings.Contains(stderr.String(), tok) || strings.Contains(stderr.String(), "secret-key") {
		t.Errorf("error output leaks the token or key: %s", stderr.String())
	}
}

func TestMockFlags(t *testing.T) {
	cfg, err := mockFlags([]string{"--network", "x.fyre.co", "--key", "k", "--delay", "1m-10m", "--time-scale", "60",
		"--owners", "a,b", "--workers", "4", "--pull-timeout", "3s", "--max-inflight", "64", "--allow-hosts", "localhost, example.com:8443,",
		"--max-conns", "500", "--idle-timeout", "5s", "--read-header-timeout", "2s", "--bootstrap-refresh", "1m-2m"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Delay.Min != time.Minute || cfg.Delay.Max != 10*time.Minute || cfg.TimeScale != 60 ||
		len(cfg.Owners) != 2 || cfg.Workers != 4 || cfg.PullTimeout != 3*time.Second || cfg.MaxInflight != 64 ||
		len(cfg.AllowHosts) != 2 || cfg.AllowHosts[1] != "example.com:8443" ||
		cfg.MaxConns != 500 || cfg.IdleTimeout != 5*time.Second || cfg.ReadHeaderTimeout != 2*time.Second ||
		cfg.BootstrapRefresh != (p4p.Delay{Min: time.Minute, Max: 2 * time.Minute}) {
		t.Errorf("config %+v does not match the flags", cfg)
	}
}

// FuzzMockFlags: any argument list either parses into a config the mock
// accepts or is a usage error; it never panics.
func FuzzMockFlags(f *testing.F) {
	f.Add("--delay 1m-10m --time-scale 60")
	f.Add("--workers -1")
	f.Add("--max-queued 0 --backoff 1s --backoff-max 1ms")
	f.Add("--owners ,,, --pull-timeout 1ns")
	f.Add("--max-inflight 0 --allow-hosts ,")
	f.Add("--max-conns -1 --idle-timeout 0s --read-header-timeout -1s")
	f.Add("--max-followers 0 --event-backlog -1 --event-write-timeout 0s")
	f.Add("--bootstrap-refresh 5m-10m --time-scale 600")
	f.Add("--bootstrap-refresh 0s --bootstrap-refresh 10m-5m")
	f.Fuzz(func(t *testing.T, args string) {
		all := append([]string{"--network", "x.fyre.co", "--key", "k"}, strings.Fields(args)...)
		cfg, err := mockFlags(all, io.Discard)
		if err != nil {
			return
		}
		if slices.Contains(cfg.AllowHosts, "") {
			t.Fatalf("flags %q allowed an empty host", args)
		}
		if cfg.BootstrapRefresh.Max <= 0 || cfg.BootstrapRefresh.Validate() != nil {
			t.Fatalf("flags %q accepted bootstrap refresh %s", args, cfg.BootstrapRefresh)
		}
		if cfg.MaxFollowers < 1 || cfg.EventBacklog < 1 || cfg.EventWriteTimeout <= 0 {
			t.Fatalf("flags %q accepted an invalid /events config %+v", args, cfg)
		}
		if cfg.Workers < 1 || cfg.MaxAttempts < 1 || cfg.MaxInflight < 1 || cfg.TimeScale <= 0 || cfg.Delay.Min < 0 ||
			cfg.Delay.Max < cfg.Delay.Min || cfg.PullTimeout <= 0 || cfg.BackoffMax < cfg.BackoffBase ||
			cfg.MaxConns < 0 || cfg.IdleTimeout <= 0 || cfg.ReadHeaderTimeout <= 0 {
			t.Fatalf("flags %q accepted an invalid config %+v", args, cfg)
		}
	})
}

// TestConformanceUsage checks that bad flags are usage errors (exit 2)
// naming the flag, before anything starts.
func TestConformanceUsage(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--pull-url", "https://example.com/pull?id={id}", "--network", "example.fyre.co", "--key", "k"}, "--user is required"},
		{[]string{"--pull-url", "https://example.com/pull?id={id}", "--user", "u-1", "--key", "k", "--network", ""}, "--network is required"},
		{[]string{"--pull-url", "https://example.com/pull", "--user", "u-1", "--network", "example.fyre.co", "--key", "k"}, "has no {id}"},
		{[]string{"--pull-url", "ftp://example.com/{id}", "--user", "u-1", "--network", "example.fyre.co", "--key", "k"}, "http or https"},
		{[]string{"--fault", "nope"}, "--fault"},
		{[]string{"--delay", "soon"}, "--delay"},
		{[]string{"--time-scale", "0"}, "--time-scale"},
		{[]string{"--burst", "2", "--concurrency", "5"}, "concurrency"},
		{[]string{"--label-filter", "auth &&"}, "label filter"},
		{[]string{"--fault", "slow", "--pull-url", "https://example.com/pull?id={id}", "--user", "u", "--network", "example.fyre.co", "--key", "k"}, "fault"},
		{[]string{"--pull-url", "https://example.com/pull?id={id}", "--user", "u", "--network", "example.fyre.co", "--key", "k", "--update-hook", "https://example.com/hook"}, "--harness-pings"},
		{[]string{"--pull-url", "https://example.com/pull?id={id}", "--user", "u", "--network", "example.fyre.co", "--key", "k", "--user-token-url", "https://example.com/token"}, "--update-hook"},
		{[]string{"--user-token-url", "ftp://example.com/token?id={id}"}, "user-token URL"},
		{[]string{"stray"}, "unexpected argument"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := Main(append([]string{"conformance", "--report-dir", ""}, tt.args...), &stdout, &stderr)
		if code != exitUsage || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("conformance %v: exit %d, stderr %q; want exit 2 and %q", tt.args, code, stderr.String(), tt.want)
		}
	}
}

func TestConformanceList(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"conformance", "--list"}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, s := range conformance.Specs() {
		if !strings.Contains(stdout.String(), s.ID) {
			t.Errorf("--list does not show %s", s.ID)
		}
	}
}

// FuzzConformanceFlags: any argument list either parses into a
// configuration the suite accepts, or is a usage error; it never panics
// and never starts anything.
func FuzzConformanceFlags(f *testing.F) {
	f.Add("--pull-url https://example.com/pull?id={id} --user u-1,u.2")
	f.Add("--burst 0 --concurrency 9")
	f.Add("--label-filter auth||(response&&!schema) --time-scale 60 --delay 1m-10m")
	f.Add("--fault stale-cache --propagation-budget -1s")
	f.Add("--pull-url http://[::1]:8080/p/%7Bid%7D --user x --update-hook http://h/ --harness-pings")
	f.Add("--pull-url https://example.com/pull?id={id} --user u --update-hook https://h/ --harness-pings --user-token-url https://example.com/users/{id}/token")
	f.Add("--user-token-url ftp://x/{id}")
	f.Fuzz(func(t *testing.T, args string) {
		all := append([]string{"--network", "x.fyre.co", "--key", "k"}, strings.Fields(args)...)
		cfg, _, err := conformanceConfig(all, io.Discard)
		if err != nil {
			if !errors.As(err, new(usageError)) && !errors.Is(err, flag.ErrHelp) {
				t.Fatalf("flags %q: %v is not a usage error", args, err)
			}
			return
		}
		if cfg.TimeScale <= 0 || cfg.Burst < 1 || cfg.Concurrency < 1 || cfg.Concurrency > cfg.Burst ||
			cfg.PropagationBudget < 0 || cfg.Delay.Max < cfg.Delay.Min ||
			(cfg.PullURL != "" && (len(cfg.Users) == 0 || !strings.Contains(strings.ToLower(cfg.PullURL), "id"))) {
			t.Fatalf("flags %q accepted an invalid config %+v", args, cfg)
		}
	})
}
