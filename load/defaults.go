package load

import (
	"time"

	"p4p/profile"
)

// Defaults for a Scenario's zero values.
const (
	DefaultWorkers     = 10               // Vegeta's default
	DefaultConnections = 10000            // idle connections per host, Vegeta's default
	DefaultTimeout     = 10 * time.Second // per request, as the mock Livefyre's pull timeout
	DefaultUserCount   = 100              // synthetic users, as the reference endpoint serves
	DefaultPromise     = 10 * time.Minute // Livefyre's promise (spec 1.1)
	// DefaultBootstrapMax is the longest wait for a bootstrap refresh
	// (spec 8.1: "at most every 5 to 10 minutes"), for a mock that does
	// not say its own.
	DefaultBootstrapMax = 10 * time.Minute
	DefaultWindow       = time.Minute // the soak's drift window
	DefaultReportDir    = "reports/load"
	DefaultKeyEnv       = "P4P_NETWORK_KEY"
	// MaxDuration bounds a run, soak included.
	MaxDuration = 7 * 24 * time.Hour
	// MaxUsers bounds the user ids a run draws from.
	MaxUsers = profile.MaxUsers
)
