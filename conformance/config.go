package conformance

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"p4p"
	"p4p/refapp"
)

// Defaults for the zero values of a Config.
const (
	DefaultPropagationBudget = 10 * time.Minute // Livefyre's promise (spec 1.1)
	DefaultLatencyBudget     = 500 * time.Millisecond
	DefaultBurst             = 50
	DefaultConcurrency       = 5
	DefaultTimeout           = 10 * time.Second
	DefaultNetwork           = "p4p-conformance.fyre.co"
)

// Config says what the suite certifies and how. With PullURL empty the
// suite runs against its embedded default: p4p's reference endpoint, over
// HTTPS, with Fault if set.
type Config struct {
	// PullURL is the Pull URL template, with {id} where the user id goes
	// (spec 1.3), e.g. "https://example.com/livefyre/pull?id={id}".
	PullURL string
	Network string // full network name, e.g. "example.fyre.co"
	Key     string // network key
	// Users are ids the endpoint knows; the first is the one most specs
	// pull. Include ids with '.', '-' and '_' if your site has them.
	Users []string
	// UnknownUser is an id the endpoint does not know; "" means a random
	// one.
	UnknownUser string
	// UpdateHook is a URL that changes a user's profile when POSTed
	// {"id": …, "display_name": …}; "" skips the update spec.
	UpdateHook string
	// UserTokenURL is a URL on the site that answers a GET with the
	// userAuthToken its SSO would issue a user now, as text or as
	// {"token": …}: {id} in it is replaced by the user id as in the Pull
	// URL template, or, without {id}, ?id= is added. "" skips
	// P4P-PIPE-004, which also needs UpdateHook.
	UserTokenURL string
	// HarnessPings makes the suite ping Livefyre after using UpdateHook,
	// for sites whose hook does not ping.
	HarnessPings bool
	// Livefyre is the URL of a running p4p mock; "" starts one in-process.
	Livefyre string
	// PropagationBudget is how long a ping may take to reach the stored
	// profile, before the mock's time scale divides it.
	PropagationBudget time.Duration
	// TimeScale and Delay configure the in-process mock: the delay from
	// ping to pull, divided by TimeScale. Zero values mean an immediate
	// pull and a scale of 1.
	TimeScale float64
	Delay     p4p.Delay
	// LatencyBudget is the p95 pull latency the performance spec allows
	// over a burst of Burst pulls, Concurrency at a time.
	LatencyBudget time.Duration
	Burst         int
	Concurrency   int
	// Timeout bounds each request the suite makes.
	Timeout time.Duration
	// Fault names the fault that breaks the embedded reference endpoint
	// (only with PullURL empty; see p4p refapp -h), to see what a failing
	// run looks like.
	Fault string
	// LabelFilter selects specs by label, in Ginkgo's syntax, e.g.
	// "auth || response".
	LabelFilter string
	// Strict makes deviations from the letter of Livefyre's docs fail the
	// run (--strict): the verdict is then certified or not certified.
	Strict bool
	// HTTP sends the requests to the endpoint; nil means a client with
	// Timeout that follows redirects on the same host only, as Livefyre.
	HTTP *http.Client
	// HarnessVersion names the p4p build running the suite, for the
	// report, e.g. "v0.3.0" or "devel (a9e55f1)".
	HarnessVersion string
}

// ErrConfig is wrapped by every error about a Config's values.
var ErrConfig = errors.New("conformance: bad configuration")

// withDefaults fills in the zero values and checks the rest. It does not
// fill in what the embedded default provides (PullURL, Users).
func (c Config) withDefaults() (Config, error) {
	c.PropagationBudget = cmp.Or(c.PropagationBudget, DefaultPropagationBudget)
	c.LatencyBudget = cmp.Or(c.LatencyBudget, DefaultLatencyBudget)
	c.Timeout = cmp.Or(c.Timeout, DefaultTimeout)
	c.Burst = cmp.Or(c.Burst, DefaultBurst)
	c.Concurrency = cmp.Or(c.Concurrency, DefaultConcurrency)
	c.TimeScale = cmp.Or(c.TimeScale, 1)
	switch {
	case c.Network == "" && c.PullURL == "":
		c.Network = DefaultNetwork
	case c.Network == "":
		return c, configError("a network name is required (--network)")
	}
	if err := p4p.Network(c.Network).Validate(); err != nil {
		return c, configError("network: %v", err)
	}
	if c.PullURL == "" && c.Key == "" {
		c.Key = "p4p-conformance-key"
	}
	return c, c.check()
}

func (c Config) check() error {
	switch {
	case c.Key == "":
		return configError("the network key is required (--key)")
	case c.PullURL != "" && len(c.Users) == 0:
		return configError("at least one user id the endpoint knows is required (--user)")
	case c.Fault != "" && c.PullURL != "":
		return configError("a fault (--fault) breaks the embedded reference endpoint; it cannot be used with a Pull URL (--pull-url)")
	case c.UpdateHook != "" && !c.HarnessPings && c.PullURL != "" && c.Livefyre == "":
		return configError("with an update hook (--update-hook), either the harness pings (--harness-pings) or your site pings a Livefyre it can reach (--livefyre)")
	case c.UserTokenURL != "" && c.UpdateHook == "" && c.PullURL != "":
		return configError("a user-token URL (--user-token-url) is judged after a change through the update hook (--update-hook), which is missing")
	case c.Burst < 1 || c.Concurrency < 1 || c.Concurrency > c.Burst:
		return configError("burst %d, concurrency %d (--burst, --concurrency): want 1 ≤ concurrency ≤ burst", c.Burst, c.Concurrency)
	case c.PropagationBudget < 0 || c.LatencyBudget < 0 || c.Timeout < 0 || c.TimeScale < 0:
		return configError("durations and the time scale must be positive")
	}
	if _, err := refapp.ParseFault(c.Fault); err != nil {
		return configError("fault (--fault): %v", err)
	}
	if c.PullURL != "" {
		// The percent-encoded {id} passes, so that the report says what
		// Livefyre makes of it (P4P-PIPE-001) and the other specs still
		// run; {ID} and other spellings do not (p4p.Template).
		if err := p4p.Template(c.PullURL).Validate(); err != nil {
			return configError("pull URL (--pull-url): %v", err)
		}
	}
	for i, id := range c.Users {
		if err := p4p.UserID(id).Validate(); err != nil {
			return configError("user %d (--user): %v", i+1, err)
		}
	}
	if c.UnknownUser != "" {
		if err := p4p.UserID(c.UnknownUser).Validate(); err != nil {
			return configError("unknown user (--unknown-user): %v", err)
		}
	}
	for _, u := range []struct{ name, url string }{{"update hook", c.UpdateHook}, {"user-token URL", c.UserTokenURL}, {"Livefyre", c.Livefyre}} {
		if err := checkHTTPURL(u.url); u.url != "" && err != nil {
			return configError("%s %q: %v", u.name, u.url, err)
		}
	}
	if _, err := types.ParseLabelFilter(c.LabelFilter); err != nil {
		return configError("label filter %q (--label-filter): %v", c.LabelFilter, err)
	}
	if c.UnknownUser != "" && containsID(c.Users, c.UnknownUser) {
		return configError("the unknown user %q is also given as a known user", c.UnknownUser)
	}
	return nil
}

func checkHTTPURL(s string) error {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return err
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("want an http or https URL")
	case u.Host == "":
		return fmt.Errorf("no host")
	}
	return nil
}

func containsID(ids []string, id string) bool {
	for _, v := range ids {
		if v == id {
			return true
		}
	}
	return false
}

// primary is the user most specs pull.
func (c Config) primary() string {
	if len(c.Users) == 0 {
		return ""
	}
	return c.Users[0]
}

// budget is the propagation budget in the mock's time.
func (c Config) budget(timeScale float64) time.Duration {
	return time.Duration(float64(c.PropagationBudget) / timeScale)
}

func configError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrConfig, fmt.Sprintf(format, args...))
}

// Validate reports what is wrong with c, as Start would, without starting
// anything. Its errors wrap ErrConfig.
func (c Config) Validate() error {
	_, err := c.withDefaults()
	return err
}
