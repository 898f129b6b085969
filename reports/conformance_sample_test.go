package reports

import (
	"strings"
	"time"
)

// sampleStarted is when the sample run started: fixed, so that golden
// files are stable.
var sampleStarted = time.Date(2025, 3, 14, 9, 26, 53, 589_000_000, time.UTC)

// The indexes of the sample's results and testcases, for the tests that
// look at or change one.
const (
	sampleDeviated = 2 // P4P-AUTH-007
	sampleFailed   = 3 // P4P-RESP-001
	sampleWarned   = 4 // P4P-RESP-004
	sampleBlocked  = 5 // P4P-PIPE-001
	sampleNoHook   = 6 // P4P-PIPE-003
)

// sample is a realistic report of a run that is not certified: two
// passes (one with a note), a deviation whose second exchange is the
// culprit, a failure with two exchanges (a truncated 503 with
// Retry-After, then a timeout), a warning with notes, a spec skipped
// because the failure blocked it, and one skipped for want of a flag.
func sample() *Conformance {
	c := &Conformance{
		Suite:          "p4p conformance",
		SuiteVersion:   "1.0.0",
		HarnessVersion: "v0.3.0",
		Endpoint:       "https://app.example.org/p4p/pull?id={id}",
		Network:        "example.fyre.co",
		Livefyre:       "embedded mock",
		Users:          []string{"u-1001", "u-1002"},
		Started:        sampleStarted,
		DurationMS:     12417.3,
		Results: []Result{
			sampleAuthRefused(),
			sampleAuthAccepted(),
			sampleAuthDeviated(),
			sampleRespFailed(),
			sampleRespWarned(),
			samplePipeSkipped(),
			samplePipeNoHook(),
		},
	}
	c.Tally()
	return c
}

func sampleAuthRefused() Result {
	return Result{
		ID:          "P4P-AUTH-001",
		Requirement: "A pull without lftoken is refused with 403",
		Level:       Must,
		Source:      "spec 1.5, 2.4",
		Labels:      []string{"auth"},
		Outcome:     Passed,
		DurationMS:  8.2,
		Evidence: []Exchange{{
			Title:   "pull u-1001 without lftoken",
			Request: Request{Method: "GET", URL: "https://app.example.org/p4p/pull?id=u-1001", Header: map[string][]string{"User-Agent": {"p4p/v0.3.0"}}},
			Response: &Response{
				Status:    403,
				Header:    map[string][]string{"Content-Type": {"application/json"}, "Content-Length": {"27"}},
				Body:      `{"error":"missing lftoken"}`,
				BodyBytes: 27,
			},
			Curl:       `curl -sS -i 'https://app.example.org/p4p/pull?id=u-1001'`,
			DurationMS: 8.1,
		}},
	}
}

func sampleAuthAccepted() Result {
	return Result{
		ID:          "P4P-AUTH-002",
		Requirement: "A pull with a valid system token is answered with 200",
		Level:       Must,
		Source:      "spec 1.5, 2.1",
		Labels:      []string{"auth"},
		Outcome:     Passed,
		Notes:       []string{"The token's expiry was 3600 s away; tokens near expiry were not tried."},
		DurationMS:  11.9,
	}
}

func sampleAuthDeviated() Result {
	return Result{
		ID:          "P4P-AUTH-007",
		Requirement: "A refused pull's 403 has an empty body",
		Level:       Must,
		Source:      "spec 1.5, 6.6",
		Labels:      []string{"auth", "security"},
		Outcome:     Deviated,
		Message:     `1 of 2 refused pulls had a body: the 403 for u-1002 came with "Forbidden" (9 bytes). It holds no profile data, so the sync is safe.`,
		Fix:         "Answer a refused pull with status 403 and no body at all (e.g. Express: res.status(403).end(), not res.sendStatus(403)).",
		DurationMS:  17.8,
		Evidence:    []Exchange{sampleRefusal("u-1001", "", 0, 8.4), sampleRefusal("u-1002", "Forbidden", 9, 9.1)},
	}
}

// sampleRefusal is a pull for user without lftoken answered 403 with
// body; a body makes it the culprit of P4P-AUTH-007.
func sampleRefusal(user, body string, n int, ms float64) Exchange {
	url := "https://app.example.org/p4p/pull?id=" + user
	return Exchange{
		Title:   "pull " + user + " without lftoken",
		Request: Request{Method: "GET", URL: url},
		Response: &Response{
			Status:    403,
			Header:    map[string][]string{"Content-Type": {"text/plain; charset=utf-8"}},
			Body:      body,
			BodyBytes: n,
		},
		Curl:       "curl -sS -i '" + url + "'",
		DurationMS: ms,
		Culprit:    body != "",
	}
}

func sampleRespFailed() Result {
	return Result{
		ID:          "P4P-RESP-001",
		Requirement: "A pull for a known user returns 200 with a JSON profile",
		Level:       Must,
		Source:      "spec 1.6",
		Labels:      []string{"response"},
		Outcome:     Failed,
		Message:     "2 of 2 pulls for u-1001 failed: 503 Service Unavailable, then no response within 10s.",
		Fix:         "Answer a pull for a known user with 200 and the profile as JSON; if the service is overloaded, say so with 503 and Retry-After only briefly.",
		DurationMS:  10123.4,
		Evidence:    []Exchange{sampleUnavailable(), sampleTimeout()},
	}
}

func sampleUnavailable() Exchange {
	return Exchange{
		Title: "pull u-1001 with a valid token",
		Request: Request{
			Method: "GET",
			URL:    "https://app.example.org/p4p/pull?id=u-1001&lftoken=eyJhbGciOi…[redacted]",
			Header: map[string][]string{"User-Agent": {"p4p/v0.3.0"}, "Accept": {"application/json"}},
		},
		Response: &Response{
			Status: 503,
			Header: map[string][]string{
				"Retry-After":  {"120"},
				"Content-Type": {"text/html; charset=utf-8"},
				"Server":       {"nginx"},
			},
			Body:      "<html>\n<head><title>503 Service Temporarily Unavailable</title></head>\n<body>\n" + strings.Repeat("<!-- padding -->\n", 4),
			BodyBytes: 6144,
			Truncated: true,
		},
		Curl:       `curl -sS -i -H 'Accept: application/json' "https://app.example.org/p4p/pull?id=u-1001&lftoken=$(p4p token u-1001)"`,
		DurationMS: 112.6,
	}
}

func sampleTimeout() Exchange {
	return Exchange{
		Title:      "pull u-1001 again after Retry-After",
		Request:    Request{Method: "GET", URL: "https://app.example.org/p4p/pull?id=u-1001&lftoken=eyJhbGciOi…[redacted]"},
		Error:      `Get "https://app.example.org/p4p/pull?id=u-1001&lftoken=…": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
		Curl:       `curl -sS -i --max-time 10 "https://app.example.org/p4p/pull?id=u-1001&lftoken=$(p4p token u-1001)"`,
		DurationMS: 10000.4,
	}
}

func sampleRespWarned() Result {
	return Result{
		ID:          "P4P-RESP-004",
		Requirement: "A profile response forbids caching with Cache-Control: no-store",
		Level:       Should,
		Source:      "spec 1.6.2",
		Labels:      []string{"response", "privacy"},
		Outcome:     Warned,
		Message:     "The response for u-1002 has no Cache-Control header.",
		Fix:         "Send Cache-Control: no-store with every profile response.",
		Notes:       []string{`Livefyre ignores the field "tags".`, `"settings.email" is empty; Livefyre will not send mail to u-1002.`},
		DurationMS:  14.7,
		Evidence: []Exchange{{
			Title:   "pull u-1002 with a valid token",
			Request: Request{Method: "GET", URL: "https://app.example.org/p4p/pull?id=u-1002&lftoken=eyJhbGciOi…[redacted]"},
			Response: &Response{
				Status:    200,
				Header:    map[string][]string{"Content-Type": {"application/json"}},
				Body:      `{"id":"u-1002","display_name":"Ada","email":"","tags":["beta"]}`,
				BodyBytes: 63,
			},
			Curl:       `curl -sS -i "https://app.example.org/p4p/pull?id=u-1002&lftoken=$(p4p token u-1002)"`,
			DurationMS: 14.5,
		}},
	}
}

func samplePipeSkipped() Result {
	return Result{
		ID:          "P4P-PIPE-001",
		Requirement: "A ping leads to a pull and the profile reaches Livefyre",
		Level:       Must,
		Source:      "spec 1.4, 3.3",
		Labels:      []string{"pipeline"},
		Outcome:     Skipped,
		Message:     "blocked: P4P-RESP-001 failed",
	}
}

func samplePipeNoHook() Result {
	return Result{
		ID:          "P4P-PIPE-003",
		Requirement: "After a profile change and its ping, the new display name is stored within the propagation budget",
		Level:       Must,
		Source:      "spec 1.1, 1.4, 1.6",
		Labels:      []string{"pipeline"},
		Outcome:     Skipped,
		Message:     "no update hook was given (--update-hook)",
	}
}

// sampleVariant is the sample with its failure, and unless deviated its
// deviation, passed instead, and strict as given: with failed false, a
// run that is certified, with deviations or not.
func sampleVariant(failed, deviated, strict bool) *Conformance {
	c := sample()
	pass := func(r *Result) { r.Outcome, r.Message, r.Fix = Passed, "", "" }
	if !failed {
		pass(&c.Results[sampleFailed])
		c.Results[sampleBlocked] = Result{ID: "P4P-PIPE-001", Requirement: "A ping leads to a pull and the profile reaches Livefyre",
			Level: Must, Source: "spec 1.4, 3.3", Labels: []string{"pipeline"}, Outcome: Passed, DurationMS: 1834.2}
	}
	if !deviated {
		pass(&c.Results[sampleDeviated])
	}
	c.Strict = strict
	c.Tally()
	return c
}
