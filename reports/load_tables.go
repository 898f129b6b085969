package reports

import (
	"cmp"
	"slices"
	"strconv"
)

// statusRow is one status code of a load run and how often it came.
type statusRow struct {
	Code  string // as in Load.Status: "200", "0"
	Label string // "200 OK", "no response"
	Count int
	Share float64 // of all responses counted in Status
}

// statusRows are l's status codes in numeric order, with no response
// (code 0) and any that are not numbers last.
func (l *Load) statusRows() []statusRow {
	total := 0
	for _, n := range l.Status {
		total += n
	}
	rows := make([]statusRow, 0, len(l.Status))
	for code, n := range l.Status {
		row := statusRow{Code: code, Label: statusLabel(code), Count: n}
		if total > 0 {
			row.Share = float64(n) / float64(total)
		}
		rows = append(rows, row)
	}
	slices.SortFunc(rows, func(a, b statusRow) int {
		ar, an := statusRank(a.Code)
		br, bn := statusRank(b.Code)
		return cmp.Or(cmp.Compare(ar, br), cmp.Compare(an, bn), cmp.Compare(a.Code, b.Code))
	})
	return rows
}

// statusRank orders status codes: responses first (rank 0), then no
// response (code 0, rank 1), then keys that are not numbers (rank 2);
// n is the code's number, for responses.
func statusRank(code string) (rank, n int) {
	n, err := strconv.Atoi(code)
	switch {
	case err != nil:
		return 2, 0
	case n == 0:
		return 1, 0
	}
	return 0, n
}

// statusLabel names a status code: "0" is "no response", a known code
// gets its reason phrase.
func statusLabel(code string) string {
	n, err := strconv.Atoi(code)
	switch {
	case err != nil:
		return code
	case n == 0:
		return "no response"
	}
	return statusLine(n)
}

// errorRow is one kind of error with its share of all requests.
type errorRow struct {
	ErrorCount
	Share float64
}

// errorRows are l's errors, most frequent first (then by class and
// kind), at most limit of them when limit > 0.
func (l *Load) errorRows(limit int) []errorRow {
	rows := make([]errorRow, len(l.Errors))
	for i, e := range l.Errors {
		rows[i] = errorRow{ErrorCount: e}
		if l.Requests.Total > 0 {
			rows[i].Share = float64(e.Count) / float64(l.Requests.Total)
		}
	}
	slices.SortStableFunc(rows, func(a, b errorRow) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Class, b.Class), cmp.Compare(a.Kind, b.Kind))
	})
	if limit > 0 && len(rows) > limit {
		rows = rows[:limit]
	}
	return rows
}
