package load

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strings"
	"time"

	"p4p"
	"p4p/refapp"
)

// MaxTimeout bounds a request's timeout: Livefyre gave up on a pull long
// before.
const MaxTimeout = 5 * time.Minute

// ErrScenario is wrapped by every error about a scenario: a file that
// cannot be read or decoded, and values that Check refuses.
var ErrScenario = errors.New("bad scenario")

// problem is one thing wrong with a scenario, where it is (a file's path
// and a field's JSON pointer, or a field and its flag) and what is wrong.
type problem struct{ where, msg string }

func (p *problem) Error() string { return p.where + ": " + p.msg }
func (p *problem) Unwrap() error { return ErrScenario }

// problems collects a scenario's problems; err joins them.
type problems []error

func (ps *problems) add(field, format string, args ...any) {
	*ps = append(*ps, &problem{where: flagged(field), msg: fmt.Sprintf(format, args...)})
}

func (ps problems) err() error { return errors.Join(ps...) }

// flagged names a field for both audiences, as a file and as p4p load's
// command line write it: "pull_url (--pull-url)".
func flagged(field string) string {
	if f, ok := otherFlags[field]; ok {
		return field + f
	}
	return field + " (--" + strings.ReplaceAll(field, "_", "-") + ")"
}

// otherFlags are the fields p4p load's command line does not write as
// their JSON name with dashes: the scenario is its first argument, and
// --scenario names a scenario file.
var otherFlags = map[string]string{
	"scenario":   " (p4p load pull|propagation|soak)",
	"users_file": " (--users)",
	"users":      " (--user)",
	"key_env":    "",
	"shard":      " (--shard)",
}

// envNamePattern is an environment variable's name.
var envNamePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,127}$`)

// LookupKey returns s with its Key read from the environment variable
// KeyEnv names (DefaultKeyEnv if empty), unless Key is already set.
// getenv is os.Getenv outside tests.
func (s Scenario) LookupKey(getenv func(string) string) Scenario {
	if s.Key == "" {
		s.Key = getenv(cmp.Or(s.KeyEnv, DefaultKeyEnv))
	}
	return s
}

// Check returns s with its defaults filled in (Ramp, Workers,
// Connections, Timeout, UserCount when no users are given, KeyEnv,
// ReportDir; Of and Window for a soak; Promise for propagation, and
// TimeScale with the embedded mock), or s as given and every problem
// with it, joined, each wrapping ErrScenario and naming the field as
// both a file and a flag write it: "pull_url (--pull-url): …". A field
// only one scenario reads is refused in the others unless it holds its
// default, so that flags with defaults pass. Check does not read the
// environment (see LookupKey) or the users file, and leaves the SLO
// expressions to the package that parses them. Checking a checked
// scenario changes nothing.
func (s Scenario) Check() (Scenario, error) {
	var ps problems
	s.checkKind(&ps)
	s.checkRate(&ps)
	s.checkWorkers(&ps)
	s.checkUsers(&ps)
	s.checkEndpoint(&ps)
	s.checkPropagation(&ps)
	s.checkDurations(&ps)
	if err := s.Shard.check(); err != nil {
		ps.add("shard", "%v", err)
	}
	if err := ps.err(); err != nil {
		return s, err
	}
	return s.withDefaults(), nil
}

// withDefaults fills the zero values that have a default.
func (s Scenario) withDefaults() Scenario {
	s.Ramp = cmp.Or(s.Ramp, Constant)
	s.Workers = cmp.Or(s.Workers, min(DefaultWorkers, cmp.Or(s.MaxWorkers, DefaultWorkers)))
	s.Connections = cmp.Or(s.Connections, DefaultConnections)
	s.Timeout = cmp.Or(s.Timeout, Duration(DefaultTimeout))
	s.KeyEnv = cmp.Or(s.KeyEnv, DefaultKeyEnv)
	s.ReportDir = cmp.Or(s.ReportDir, DefaultReportDir)
	if s.UsersFile == "" && len(s.Users) == 0 {
		s.UserCount = cmp.Or(s.UserCount, DefaultUserCount)
	}
	if s.Kind == Soak {
		s.Of = cmp.Or(s.Of, Pull)
		s.Window = cmp.Or(s.Window, Duration(DefaultWindow))
	}
	if s.runs() == Propagation {
		s.Promise = cmp.Or(s.Promise, Duration(DefaultPromise))
		if s.Livefyre == "" {
			s.TimeScale = cmp.Or(s.TimeScale, 1)
		}
	}
	return s
}

// runs is the scenario that runs: Kind, or for a soak what it soaks.
func (s Scenario) runs() Kind {
	if s.Kind == Soak {
		return cmp.Or(s.Of, Pull)
	}
	return s.Kind
}

func (s Scenario) checkKind(ps *problems) {
	switch s.Kind {
	case Pull, Propagation, Soak:
	case "":
		ps.add("scenario", "required: pull, propagation or soak")
	default:
		ps.add("scenario", "%s is not pull, propagation or soak", clipQuote(string(s.Kind)))
	}
	switch {
	case s.Of == "":
	case s.Kind != Soak:
		ps.add("of", "only for a soak, which runs pull or propagation")
	case s.Of != Pull && s.Of != Propagation:
		ps.add("of", "%s is not pull or propagation", clipQuote(string(s.Of)))
	}
}

// checkRate checks the rate and its ramp, as Vegeta's pacers need them.
func (s Scenario) checkRate(ps *problems) {
	for _, r := range []struct {
		field string
		rate  Rate
	}{{"rate", s.Rate}, {"ramp_to", s.RampTo}, {"amplitude", s.Amplitude}} {
		if err := r.rate.check(r.rate.String()); err != nil {
			ps.add(r.field, "%v", err)
		}
	}
	switch s.Ramp {
	case "", Constant:
	case Linear:
		s.checkLinear(ps)
	case Sine:
		s.checkSine(ps)
	default:
		ps.add("ramp", "%s is not constant, linear or sine", clipQuote(string(s.Ramp)))
	}
	if s.Ramp != Linear && s.RampTo != (Rate{}) {
		ps.add("ramp_to", "only for ramp linear")
	}
	if s.Ramp != Sine && s.Amplitude != (Rate{}) {
		ps.add("amplitude", "only for ramp sine")
	}
	if s.Ramp != Sine && s.Period != 0 {
		ps.add("period", "only for ramp sine")
	}
	if s.Rate.IsMax() && s.MaxWorkers == 0 {
		// Vegeta's own rule: "-rate=0 requires setting -max-workers".
		ps.add("rate", "0 (as fast as possible) requires max_workers (--max-workers), as Vegeta's -rate=0 requires -max-workers")
	}
}

func (s Scenario) checkLinear(ps *problems) {
	if s.Rate.IsMax() {
		ps.add("rate", "a linear ramp starts from a rate such as 100/s, not 0 (as fast as possible)")
	}
	if s.RampTo.IsMax() {
		ps.add("ramp_to", "a linear ramp needs the rate to ramp to, such as 500/s")
	}
}

func (s Scenario) checkSine(ps *problems) {
	switch {
	case s.Rate.IsMax():
		ps.add("rate", "a sine ramp needs a mean rate such as 100/s, not 0 (as fast as possible)")
	case s.Amplitude.IsMax():
		ps.add("amplitude", "a sine ramp needs an amplitude less than the rate %s", s.Rate)
	case s.Amplitude.PerSecond() >= s.Rate.PerSecond():
		ps.add("amplitude", "%s must be less than the rate %s", s.Amplitude, s.Rate)
	}
	if s.Period <= 0 {
		ps.add("period", "a sine ramp needs a positive period, the time of one full wave, such as 1m")
	}
}

func (s Scenario) checkWorkers(ps *problems) {
	if s.MaxWorkers > 0 && s.Workers > s.MaxWorkers {
		ps.add("workers", "%d is more than max_workers (--max-workers) %d", s.Workers, s.MaxWorkers)
	}
	if s.Connections < 0 {
		ps.add("connections", "%d is negative", s.Connections)
	}
}

func (s Scenario) checkUsers(ps *problems) {
	given := 0
	for _, set := range []bool{s.UsersFile != "", len(s.Users) > 0, s.UserCount != 0} {
		if set {
			given++
		}
	}
	if given > 1 {
		ps.add("users", "give only one of %s, %s and %s", flagged("users_file"), flagged("users"), flagged("user_count"))
	}
	if s.UserCount < 0 || s.UserCount > MaxUsers {
		ps.add("user_count", "%d is not between 1 and %d", s.UserCount, MaxUsers)
	}
	if len(s.Users) > MaxUsers {
		ps.add("users", "%d ids, over the limit of %d", len(s.Users), MaxUsers)
	}
	s.checkUserIDs(ps)
}

// checkUserIDs names the first few ids the mock Livefyre would refuse.
func (s Scenario) checkUserIDs(ps *problems) {
	const shown = 5
	bad := 0
	for i, id := range s.Users {
		err := p4p.UserID(id).Validate()
		if err == nil {
			continue
		}
		if bad++; bad <= shown {
			ps.add("users", "item %d: %v", i+1, err)
		}
	}
	if bad > shown {
		ps.add("users", "%d more ids are not user ids", bad-shown)
	}
}

// checkEndpoint checks the Pull endpoint and the credentials for it.
func (s Scenario) checkEndpoint(ps *problems) {
	if s.PullURL != "" {
		// As p4p conformance, Check accepts {id} percent-encoded
		// (p4p.Template); propagation then fails at registration, as
		// Livefyre refused such a template.
		if err := p4p.Template(s.PullURL).Validate(); err != nil {
			ps.add("pull_url", "%v", err)
		}
		if s.Fault != "" {
			ps.add("fault", "breaks the embedded reference endpoint; it cannot be used with pull_url (--pull-url)")
		}
	}
	if _, err := refapp.ParseFault(s.Fault); err != nil {
		ps.add("fault", "%v", err)
	}
	s.checkCredentials(ps)
}

// checkCredentials asks for the network and its key wherever the run
// talks to something it did not start: a Pull URL or a running Livefyre.
func (s Scenario) checkCredentials(ps *problems) {
	keyEnv := cmp.Or(s.KeyEnv, DefaultKeyEnv)
	if !envNamePattern.MatchString(keyEnv) {
		ps.add("key_env", "%s is not an environment variable's name such as %s", clipQuote(keyEnv), DefaultKeyEnv)
	}
	if s.Network != "" {
		if err := p4p.Network(s.Network).Validate(); err != nil {
			ps.add("network", "%v", err)
		}
	}
	if s.PullURL == "" && s.Livefyre == "" {
		return
	}
	external := flagged("livefyre")
	if s.PullURL != "" {
		external = flagged("pull_url")
	}
	if s.Network == "" {
		ps.add("network", "required with %s: the full network name, such as example.fyre.co", external)
	}
	if s.Key == "" {
		ps.add("key", "the network key is required with %s; set the environment variable %s (key_env)", external, keyEnv)
	}
}

// checkPropagation checks the fields only propagation reads. A field at
// its default counts as not given, so that flags with defaults pass.
func (s Scenario) checkPropagation(ps *problems) {
	prop, embedded := s.runs() == Propagation, s.Livefyre == ""
	only := func(field string, given bool, needEmbedded bool) {
		switch {
		case given && !prop:
			ps.add(field, "only for propagation (or a soak of propagation)")
		case given && needEmbedded && !embedded:
			ps.add(field, "configures the embedded mock Livefyre; a running one (livefyre) has its own")
		}
	}
	only("livefyre", s.Livefyre != "", false)
	only("delay", s.Delay != "" && s.Delay != "0", true)
	only("time_scale", s.TimeScale != 0 && s.TimeScale != 1, true)
	only("promise", s.Promise != 0 && s.Promise != Duration(DefaultPromise), false)
	only("drain", s.Drain != 0, false)
	if s.Livefyre != "" {
		if err := checkHTTPURL(s.Livefyre); err != nil {
			ps.add("livefyre", "%s %v", clipQuote(s.Livefyre), err)
		}
	}
	if s.Delay != "" {
		if _, err := p4p.ParseDelay(s.Delay); err != nil {
			ps.add("delay", "%v; want a duration (90s) or a range (1m-10m)", err)
		}
	}
	if s.TimeScale < 0 || math.IsNaN(s.TimeScale) || math.IsInf(s.TimeScale, 0) {
		ps.add("time_scale", "%g: want a positive, finite number", s.TimeScale)
	}
}

func checkHTTPURL(s string) error {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return errors.New("is not a URL")
	case u.Scheme != "http" && u.Scheme != "https":
		return errors.New("is not an http or https URL")
	case u.Host == "":
		return errors.New("has no host")
	}
	return nil
}

// checkDurations checks the run's length and the other durations.
func (s Scenario) checkDurations(ps *problems) {
	switch {
	case s.Duration <= 0:
		ps.add("duration", "required, and positive, such as 60s")
	case s.Duration.D() > MaxDuration:
		ps.add("duration", "%s is over the limit of %s", s.Duration, Duration(MaxDuration))
	}
	if s.Timeout < 0 || s.Timeout.D() > MaxTimeout {
		ps.add("timeout", "%s is not between 0 and %s", s.Timeout, Duration(MaxTimeout))
	}
	for _, d := range []struct {
		field string
		d     Duration
	}{{"period", s.Period}, {"promise", s.Promise}, {"drain", s.Drain}, {"window", s.Window}} {
		if d.d < 0 {
			ps.add(d.field, "%s is negative", d.d)
		}
	}
	if s.Window != 0 && s.Window != Duration(DefaultWindow) && s.Kind != Soak {
		ps.add("window", "only for a soak")
	}
	if w := cmp.Or(s.Window, Duration(DefaultWindow)); s.Kind == Soak && s.Duration > 0 && s.Duration < 2*w {
		ps.add("window", "%s leaves fewer than two windows in duration (--duration) %s; a soak compares its first and last", w, s.Duration)
	}
	for i, slo := range s.SLOs {
		if strings.TrimSpace(slo) == "" {
			ps.add("slo", "item %d is empty", i+1)
		}
	}
}
