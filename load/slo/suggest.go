package slo

import (
	"math"
	"strconv"
	"strings"
)

// suggest returns the metric name closest to name by edit distance, or ""
// when none is close enough to be a likely typo. Ties go to the metric
// whose percentile is nearest, so "p98" suggests "p99", not "p90".
func suggest(name string) string {
	name = strings.ToLower(name)
	best, bestDist := "", max(1, len(name)/2)+1
	for _, m := range catalogue {
		d := editDistance(name, m.Name)
		if d < bestDist || (d == bestDist && best != "" && nearerPercentile(name, m.Name, best)) {
			best, bestDist = m.Name, d
		}
	}
	return best
}

// nearerPercentile reports whether candidate's trailing percentile (the
// 99 of "p99", read as 0.99) is nearer name's than best's is.
func nearerPercentile(name, candidate, best string) bool {
	n, c, b := trailingFraction(name), trailingFraction(candidate), trailingFraction(best)
	return math.Abs(c-n) < math.Abs(b-n)
}

// trailingFraction reads the digits s ends with as a fraction: 0.99 for
// "p99", 0.999 for "p999". It is NaN when s ends with no digit.
func trailingFraction(s string) float64 {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	if i == len(s) || len(s)-i > 15 {
		return math.NaN()
	}
	f, _ := strconv.ParseFloat("0."+s[i:], 64)
	return f
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
