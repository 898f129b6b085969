package load

import "time"

// Kind names a scenario.
type Kind string

// The scenarios.
const (
	// Pull hits the Pull endpoint as Livefyre would and validates every
	// response.
	Pull Kind = "pull"
	// Propagation pings the mock Livefyre and measures, for every ping,
	// the time until its update is stored.
	Propagation Kind = "propagation"
	// Soak runs Pull or Propagation (Scenario.Of) for a long time and
	// reports the drift of latency, errors and memory between its first
	// and last windows.
	Soak Kind = "soak"
)

// Ramp is how the request rate changes over a run (Vegeta's pacers).
type Ramp string

// The ramps.
const (
	Constant Ramp = "constant" // Rate throughout
	Linear   Ramp = "linear"   // from Rate to RampTo over Duration
	Sine     Ramp = "sine"     // Rate ± Amplitude, a full wave every Period
)

// Rate is a number of requests per period, written "500/s", "50/1m" or
// "0" (as fast as the workers allow, as in Vegeta).
type Rate struct {
	Freq int           // requests per Per; 0 with Per 0 means as fast as possible
	Per  time.Duration // the period
}

// Duration is a time.Duration written as Go writes one ("90s", "5m") in
// scenario files.
type Duration time.Duration

// Scenario is one load run, as flags or a scenario file (YAML or JSON,
// validated against schemas/scenario.schema.json) give it. The zero value
// of every field but Kind, Rate and Duration has a default.
type Scenario struct {
	Name string `json:"name,omitempty"`
	Kind Kind   `json:"scenario"`
	Of   Kind   `json:"of,omitempty"` // Soak only: Pull (the default) or Propagation

	// PullURL is the Pull endpoint's template with {id}; empty means the
	// embedded reference endpoint, started in-process.
	PullURL string `json:"pull_url,omitempty"`
	Network string `json:"network,omitempty"`
	// Key is the network key. It is never read from a scenario file:
	// files name the environment variable holding it (KeyEnv).
	Key    string `json:"-"`
	KeyEnv string `json:"key_env,omitempty"` // "P4P_NETWORK_KEY" if empty

	// The user ids: UsersFile (a JSON array of ids or of profiles, as the
	// reference endpoint's --users-file), or Users, or UserCount
	// synthetic ids as the reference endpoint generates them.
	UsersFile string   `json:"users_file,omitempty"`
	Users     []string `json:"users,omitempty"`
	UserCount int      `json:"user_count,omitempty"`

	Rate      Rate     `json:"rate"`
	Ramp      Ramp     `json:"ramp,omitempty"`      // Constant if empty
	RampTo    Rate     `json:"ramp_to,omitempty"`   // Linear
	Amplitude Rate     `json:"amplitude,omitempty"` // Sine
	Period    Duration `json:"period,omitempty"`    // Sine
	Duration  Duration `json:"duration"`

	Workers     uint64   `json:"workers,omitempty"`     // initial workers; DefaultWorkers if 0
	MaxWorkers  uint64   `json:"max_workers,omitempty"` // 0: unbounded
	Connections int      `json:"connections,omitempty"` // idle connections per host; DefaultConnections if 0
	Timeout     Duration `json:"timeout,omitempty"`     // per request; DefaultTimeout if 0

	// Propagation: Livefyre is a running mock's URL, empty for the
	// embedded one; Delay and TimeScale configure the embedded mock;
	// Promise is Livefyre's ten minutes (before TimeScale); Drain is how
	// long to wait after the last ping for the last updates and their
	// visibility in the app (if 0, the combined promise: Promise plus the
	// mock's bootstrap cadence maximum, over TimeScale).
	Livefyre  string   `json:"livefyre,omitempty"`
	Delay     string   `json:"delay,omitempty"`
	TimeScale float64  `json:"time_scale,omitempty"`
	Promise   Duration `json:"promise,omitempty"`
	Drain     Duration `json:"drain,omitempty"`

	// Window is the soak's drift window; DefaultWindow if 0.
	Window Duration `json:"window,omitempty"`

	// SLOs are the objectives the run must meet, e.g. "p99<800ms".
	SLOs []string `json:"slo,omitempty"`

	// Fault makes the embedded reference endpoint misbehave (a refapp
	// fault mode, e.g. "slow"); only without PullURL.
	Fault string `json:"fault,omitempty"`

	ReportDir string `json:"report_dir,omitempty"` // DefaultReportDir if empty

	// Shard makes the run one share of a run split across machines
	// (p4p load --shard i/n); the zero Shard runs the whole. It is never
	// read from a scenario file: every shard of a run shares the file.
	Shard Shard `json:"-"`
}
