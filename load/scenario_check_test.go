package load

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// pull is the smallest valid scenario.
func pull() Scenario {
	return Scenario{Kind: Pull, Rate: Rate{100, time.Second}, Duration: Duration(time.Minute)}
}

// with returns pull() changed by f.
func with(f func(s *Scenario)) Scenario { return changed(pull(), f) }

// changed returns s changed by f.
func changed(s Scenario, f func(s *Scenario)) Scenario {
	f(&s)
	return s
}

// filled is s with the defaults every scenario takes.
func filled(s Scenario) Scenario {
	if s.Ramp == "" {
		s.Ramp = Constant
	}
	s.Workers, s.Connections, s.Timeout = DefaultWorkers, DefaultConnections, Duration(DefaultTimeout)
	s.KeyEnv, s.ReportDir = DefaultKeyEnv, DefaultReportDir
	if s.UsersFile == "" && len(s.Users) == 0 && s.UserCount == 0 {
		s.UserCount = DefaultUserCount
	}
	return s
}

func TestScenarioCheckDefaults(t *testing.T) {
	remote := func(s *Scenario) {
		s.PullURL, s.Network, s.Key = "https://example.com/pull?id={id}", "example.fyre.co", "k"
	}
	running := func(s *Scenario) {
		s.Kind, s.Livefyre, s.Network, s.Key = Propagation, "http://127.0.0.1:8080", "example.fyre.co", "k"
	}
	tests := []struct {
		name  string
		in    Scenario
		extra func(s *Scenario) // the defaults beyond filled's; nil if none
	}{
		{"pull", pull(), nil},
		{"propagation", with(func(s *Scenario) { s.Kind = Propagation }),
			func(s *Scenario) { s.Promise, s.TimeScale = Duration(DefaultPromise), 1 }},
		{"propagation with a running mock", with(running), func(s *Scenario) { s.Promise = Duration(DefaultPromise) }},
		{"soak", with(func(s *Scenario) { s.Kind, s.Duration = Soak, Duration(time.Hour) }),
			func(s *Scenario) { s.Of, s.Window = Pull, Duration(DefaultWindow) }},
		{"soak of propagation", with(func(s *Scenario) { s.Kind, s.Of, s.Duration = Soak, Propagation, Duration(time.Hour) }),
			func(s *Scenario) {
				s.Window, s.Promise, s.TimeScale = Duration(DefaultWindow), Duration(DefaultPromise), 1
			}},
		{"users", with(func(s *Scenario) { s.Users = []string{"u-1", "user.2"} }), nil},
		{"users file", with(func(s *Scenario) { s.UsersFile = "users.json" }), nil},
		{"user count", with(func(s *Scenario) { s.UserCount = 5 }), nil},
		{"few max workers", with(func(s *Scenario) { s.MaxWorkers = 4 }), func(s *Scenario) { s.Workers = 4 }},
		{"as fast as possible", with(func(s *Scenario) { s.Rate, s.MaxWorkers = Rate{}, 50 }), nil},
		{"propagation's flag defaults on pull", with(func(s *Scenario) {
			s.TimeScale, s.Promise, s.Delay, s.Window = 1, Duration(DefaultPromise), "0", Duration(DefaultWindow)
		}), nil},
		{"remote", with(remote), nil},
		{"encoded placeholder", with(func(s *Scenario) { remote(s); s.PullURL = "https://example.com/u/%7Bid%7D" }), nil},
		{"linear", with(func(s *Scenario) { s.Ramp, s.RampTo = Linear, Rate{500, time.Second} }), nil},
		{"sine", with(func(s *Scenario) { s.Ramp, s.Amplitude, s.Period = Sine, Rate{50, time.Second}, Duration(time.Minute) }), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := filled(tt.in)
			if tt.extra != nil {
				tt.extra(&want)
			}
			got, err := tt.in.Check()
			if err != nil {
				t.Fatalf("got error %v", err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("got - want +:\n%s", diff)
			}
			again, err := got.Check()
			if diff := cmp.Diff(got, again); err != nil || diff != "" {
				t.Errorf("checked again: got %v and - first + second:\n%s", err, diff)
			}
		})
	}
}

func TestScenarioCheckErrors(t *testing.T) {
	remote := func(s *Scenario) {
		s.PullURL, s.Network, s.Key = "https://example.com/pull?id={id}", "example.fyre.co", "k"
	}
	prop := func(s *Scenario) { s.Kind = Propagation }
	tests := []struct {
		name string
		in   Scenario
		want string // a part of the error
	}{
		{"no kind", with(func(s *Scenario) { s.Kind = "" }), "scenario (p4p load pull|propagation|soak): required: pull, propagation or soak"},
		{"bad kind", with(func(s *Scenario) { s.Kind = "burst" }), `scenario (p4p load pull|propagation|soak): "burst" is not pull, propagation or soak`},
		{"of without soak", with(func(s *Scenario) { s.Of = Pull }), "of (--of): only for a soak"},
		{"bad of", with(func(s *Scenario) { s.Kind, s.Of, s.Duration = Soak, Soak, Duration(time.Hour) }), `of (--of): "soak" is not pull or propagation`},
		{"no duration", with(func(s *Scenario) { s.Duration = 0 }), "duration (--duration): required, and positive"},
		{"negative duration", with(func(s *Scenario) { s.Duration = -1 }), "duration (--duration): required, and positive"},
		{"long duration", with(func(s *Scenario) { s.Duration = Duration(MaxDuration + 1) }), "duration (--duration): 168h0m0.000000001s is over the limit of 168h"},
		{"negative rate", with(func(s *Scenario) { s.Rate = Rate{-5, time.Second} }), "rate (--rate): -5/s: a rate cannot be negative"},
		{"no period", with(func(s *Scenario) { s.Rate = Rate{5, 0} }), "rate (--rate): 5/0s: the period must be a positive duration"},
		{"huge rate", with(func(s *Scenario) { s.Rate = Rate{20_000_000, time.Second} }), "rate (--rate): 20000000/s is 2e+07 requests per second, over the limit"},
		{"max without max workers", with(func(s *Scenario) { s.Rate = Rate{} }), "rate (--rate): 0 (as fast as possible) requires max_workers (--max-workers)"},
		{"bad ramp", with(func(s *Scenario) { s.Ramp = "exp" }), `ramp (--ramp): "exp" is not constant, linear or sine`},
		{"linear without ramp_to", with(func(s *Scenario) { s.Ramp = Linear }), "ramp_to (--ramp-to): a linear ramp needs the rate to ramp to"},
		{"linear from max", with(func(s *Scenario) { s.Ramp, s.Rate, s.MaxWorkers, s.RampTo = Linear, Rate{}, 9, Rate{5, time.Second} }),
			"rate (--rate): a linear ramp starts from a rate"},
		{"negative ramp_to", with(func(s *Scenario) { s.Ramp, s.RampTo = Linear, Rate{-1, time.Second} }), "ramp_to (--ramp-to): -1/s: a rate cannot be negative"},
		{"sine without amplitude", with(func(s *Scenario) { s.Ramp, s.Period = Sine, Duration(time.Minute) }), "amplitude (--amplitude): a sine ramp needs an amplitude less than the rate 100/s"},
		{"sine amplitude too big", with(func(s *Scenario) {
			s.Ramp, s.Amplitude, s.Period = Sine, Rate{6000, time.Minute}, Duration(time.Minute)
		}),
			"amplitude (--amplitude): 6000/1m must be less than the rate 100/s"},
		{"sine without period", with(func(s *Scenario) { s.Ramp, s.Amplitude = Sine, Rate{5, time.Second} }), "period (--period): a sine ramp needs a positive period"},
		{"sine around max", with(func(s *Scenario) { s.Ramp, s.Rate, s.MaxWorkers = Sine, Rate{}, 9 }), "rate (--rate): a sine ramp needs a mean rate"},
		{"ramp_to without linear", with(func(s *Scenario) { s.RampTo = Rate{5, time.Second} }), "ramp_to (--ramp-to): only for ramp linear"},
		{"amplitude without sine", with(func(s *Scenario) { s.Amplitude = Rate{5, time.Second} }), "amplitude (--amplitude): only for ramp sine"},
		{"period without sine", with(func(s *Scenario) { s.Ramp, s.RampTo, s.Period = Linear, Rate{5, time.Second}, Duration(time.Second) }), "period (--period): only for ramp sine"},
		{"negative period", with(func(s *Scenario) { s.Ramp, s.Amplitude, s.Period = Sine, Rate{5, time.Second}, -1 }), "period (--period): -1ns is negative"},
		{"workers over max", with(func(s *Scenario) { s.Workers, s.MaxWorkers = 20, 10 }), "workers (--workers): 20 is more than max_workers (--max-workers) 10"},
		{"negative connections", with(func(s *Scenario) { s.Connections = -1 }), "connections (--connections): -1 is negative"},
		{"users and count", with(func(s *Scenario) { s.Users, s.UserCount = []string{"u"}, 5 }), "users (--user): give only one of users_file (--users), users (--user) and user_count (--user-count)"},
		{"users and file", with(func(s *Scenario) { s.Users, s.UsersFile = []string{"u"}, "u.json" }), "give only one of"},
		{"negative count", with(func(s *Scenario) { s.UserCount = -1 }), "user_count (--user-count): -1 is not between 1 and 1000000"},
		{"huge count", with(func(s *Scenario) { s.UserCount = MaxUsers + 1 }), "user_count (--user-count): 1000001 is not between"},
		{"bad user id", with(func(s *Scenario) { s.Users = []string{"u-1", "a b"} }), `users (--user): item 2: not a user id: "a b"`},
		{"many bad ids", with(func(s *Scenario) { s.Users = slices.Repeat([]string{"a b"}, 7) }),
			"users (--user): 2 more ids are not user ids"},
		{"no {id}", with(func(s *Scenario) { remote(s); s.PullURL = "https://example.com/pull" }), `pull_url (--pull-url): not a Pull URL template: "https://example.com/pull" has no {id}`},
		{"ftp", with(func(s *Scenario) { remote(s); s.PullURL = "ftp://example.com/{id}" }), "pull_url (--pull-url): not a Pull URL template: \"ftp://example.com/{id}\" is not an http or https URL"},
		{"id in host", with(func(s *Scenario) { remote(s); s.PullURL = "https://{id}.example.com/pull" }), "pull_url (--pull-url): not a Pull URL template: \"https://{id}.example.com/pull\" must have {id} in its path or query, not its host"},
		{"id in fragment", with(func(s *Scenario) { remote(s); s.PullURL = "https://example.com/pull#{id}" }), "not its host, user info or fragment"},
		{"no host", with(func(s *Scenario) { remote(s); s.PullURL = "http:///{id}" }), "has no host"},
		{"not a URL", with(func(s *Scenario) { remote(s); s.PullURL = "http://exa mple.com/{id}" }), "is not a URL"},
		{"no network", with(func(s *Scenario) { remote(s); s.Network = "" }), "network (--network): required with pull_url (--pull-url)"},
		{"bad network", with(func(s *Scenario) { s.Network = "example.com" }), `network (--network): not a Livefyre network name: "example.com" does not end in .fyre.co`},
		{"no key", with(func(s *Scenario) { remote(s); s.Key = "" }),
			"key (--key): the network key is required with pull_url (--pull-url); set the environment variable P4P_NETWORK_KEY (key_env)"},
		{"no key from key_env", with(func(s *Scenario) { remote(s); s.Key, s.KeyEnv = "", "STAGING_KEY" }), "set the environment variable STAGING_KEY (key_env)"},
		{"bad key_env", with(func(s *Scenario) { s.KeyEnv = "1KEY" }), `key_env: "1KEY" is not an environment variable's name`},
		{"fault with pull_url", with(func(s *Scenario) { remote(s); s.Fault = "slow" }), "fault (--fault): breaks the embedded reference endpoint; it cannot be used with pull_url (--pull-url)"},
		{"unknown fault", with(func(s *Scenario) { s.Fault = "sloow" }), `fault (--fault): unknown fault "sloow"`},
		{"livefyre for pull", with(func(s *Scenario) { s.Livefyre, s.Network, s.Key = "http://127.0.0.1:1", "a.fyre.co", "k" }), "livefyre (--livefyre): only for propagation (or a soak of propagation)"},
		{"bad livefyre", with(func(s *Scenario) { prop(s); s.Livefyre, s.Network, s.Key = "ftp://x", "a.fyre.co", "k" }), `livefyre (--livefyre): "ftp://x" is not an http or https URL`},
		{"livefyre without network", with(func(s *Scenario) { prop(s); s.Livefyre, s.Key = "http://127.0.0.1:1", "k" }), "network (--network): required with livefyre (--livefyre)"},
		{"livefyre without key", with(func(s *Scenario) { prop(s); s.Livefyre, s.Network = "http://127.0.0.1:1", "a.fyre.co" }), "key (--key): the network key is required with livefyre (--livefyre)"},
		{"delay for pull", with(func(s *Scenario) { s.Delay = "1m" }), "delay (--delay): only for propagation"},
		{"delay with a running mock", with(func(s *Scenario) {
			prop(s)
			s.Livefyre, s.Network, s.Key, s.Delay = "http://127.0.0.1:1", "a.fyre.co", "k", "1m"
		}), "delay (--delay): configures the embedded mock Livefyre; a running one (livefyre) has its own"},
		{"bad delay", with(func(s *Scenario) { prop(s); s.Delay = "10m-1m" }), "delay (--delay): delay 10m0s-1m0s: want 0 <= min <= max"},
		{"time_scale for pull", with(func(s *Scenario) { s.TimeScale = 60 }), "time_scale (--time-scale): only for propagation"},
		{"negative time_scale", with(func(s *Scenario) { prop(s); s.TimeScale = -1 }), "time_scale (--time-scale): -1: want a positive, finite number"},
		{"NaN time_scale", with(func(s *Scenario) { prop(s); s.TimeScale = math.NaN() }), "time_scale (--time-scale): NaN: want a positive, finite number"},
		{"infinite time_scale", with(func(s *Scenario) { prop(s); s.TimeScale = math.Inf(1) }), "time_scale (--time-scale): +Inf"},
		{"promise for pull", with(func(s *Scenario) { s.Promise = Duration(time.Minute) }), "promise (--promise): only for propagation"},
		{"drain for pull", with(func(s *Scenario) { s.Drain = Duration(time.Minute) }), "drain (--drain): only for propagation"},
		{"negative promise", with(func(s *Scenario) { prop(s); s.Promise = Duration(-time.Second) }), "promise (--promise): -1s is negative"},
		{"negative drain", with(func(s *Scenario) { prop(s); s.Drain = Duration(-time.Second) }), "drain (--drain): -1s is negative"},
		{"long timeout", with(func(s *Scenario) { s.Timeout = Duration(10 * time.Minute) }), "timeout (--timeout): 10m is not between 0 and 5m"},
		{"negative timeout", with(func(s *Scenario) { s.Timeout = -1 }), "timeout (--timeout): -1ns is not between 0 and 5m"},
		{"window for pull", with(func(s *Scenario) { s.Window = Duration(time.Second) }), "window (--window): only for a soak"},
		{"short soak", with(func(s *Scenario) { s.Kind = Soak }), "window (--window): 1m leaves fewer than two windows in duration (--duration) 1m"},
		{"negative window", with(func(s *Scenario) { s.Kind, s.Window = Soak, -1 }), "window (--window): -1ns is negative"},
		{"empty slo", with(func(s *Scenario) { s.SLOs = []string{"p99<1s", " "} }), "slo (--slo): item 2 is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.in.Check()
			checkErr(t, err, tt.want)
			if !errors.Is(err, ErrScenario) {
				t.Errorf("got %v, want it to wrap ErrScenario", err)
			}
		})
	}
}

func TestScenarioCheckReportsEveryProblem(t *testing.T) {
	_, err := Scenario{Rate: Rate{-1, time.Second}, Timeout: -1, UserCount: -1}.Check()
	want := []string{
		"scenario (p4p load pull|propagation|soak): required: pull, propagation or soak",
		"rate (--rate): -1/s: a rate cannot be negative",
		"user_count (--user-count): -1 is not between 1 and 1000000",
		"duration (--duration): required, and positive, such as 60s",
		"timeout (--timeout): -1ns is not between 0 and 5m",
	}
	if err == nil {
		t.Fatal("got no error")
	}
	if diff := cmp.Diff(want, strings.Split(err.Error(), "\n")); diff != "" {
		t.Errorf("got - want +:\n%s", diff)
	}
}

func TestScenarioLookupKey(t *testing.T) {
	env := map[string]string{DefaultKeyEnv: "default-key", "STAGING_KEY": "staging-key"}
	getenv := func(k string) string { return env[k] }
	tests := []struct {
		name string
		in   Scenario
		want string
	}{
		{"default variable", Scenario{}, "default-key"},
		{"named variable", Scenario{KeyEnv: "STAGING_KEY"}, "staging-key"},
		{"unset variable", Scenario{KeyEnv: "NONE"}, ""},
		{"key given", Scenario{Key: "flag-key", KeyEnv: "STAGING_KEY"}, "flag-key"},
	}
	for _, tt := range tests {
		if got := tt.in.LookupKey(getenv).Key; got != tt.want {
			t.Errorf("%s: got key %q, want %q", tt.name, got, tt.want)
		}
	}
}
