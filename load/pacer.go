package load

import (
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// maxRate reports whether r asks for as fast as the workers allow.
func maxRate(r Rate) bool { return r.Freq == 0 }

// perSecond is r in requests per second.
func perSecond(r Rate) float64 {
	if r.Per <= 0 {
		return 0
	}
	return float64(r.Freq) / r.Per.Seconds()
}

// pacer is the scenario's Vegeta pacer: constant, a linear ramp from
// Rate to RampTo over the duration, or a sine wave of Amplitude around
// Rate, starting at the mean and rising.
func (s Scenario) pacer() vegeta.Pacer {
	rate := vegeta.Rate{Freq: s.Rate.Freq, Per: s.Rate.Per}
	switch s.Ramp {
	case Linear:
		slope := (perSecond(s.RampTo) - perSecond(s.Rate)) / time.Duration(s.Duration).Seconds()
		return vegeta.LinearPacer{StartAt: rate, Slope: slope}
	case Sine:
		return vegeta.SinePacer{Period: time.Duration(s.Period), Mean: rate,
			Amp: vegeta.Rate{Freq: s.Amplitude.Freq, Per: s.Amplitude.Per}, StartAt: vegeta.MeanUp}
	default:
		return rate
	}
}

// expectedHits is how many requests p schedules in d: the integral of
// its rate, by Simpson's rule, exact for the constant and linear pacers
// and to well under a request for the sine.
func expectedHits(p vegeta.Pacer, d time.Duration) float64 {
	const n = 10_000 // even
	if d <= 0 {
		return 0
	}
	h := float64(d) / n
	sum := p.Rate(0) + p.Rate(d)
	for i := 1; i < n; i++ {
		w := 2.0
		if i%2 == 1 {
			w = 4
		}
		sum += w * p.Rate(time.Duration(float64(i)*h))
	}
	return sum * h / 1e9 / 3
}
