package reports

import (
	"errors"
	"io"
)

// loadJSON is how summary.json is written and read.
var loadJSON = jsonFormat[Load]{
	name:   "load summary",
	object: "summary",
	check: func(l *Load) error {
		if l.Scenario == "" {
			return errors.New("not a load summary: no scenario")
		}
		return nil
	},
}

// WriteJSON writes l as indented JSON (summary.json), fields in the
// order the types declare them and map keys sorted, so that equal runs
// give equal bytes.
func (l *Load) WriteJSON(w io.Writer) error {
	return loadJSON.write(w, l)
}

// ReadLoad reads a summary.json that WriteJSON wrote. It refuses input
// larger than MaxReportSize, anything that is not one JSON object,
// fields the load types do not have, data after the object, and an
// object with no scenario.
func ReadLoad(r io.Reader) (*Load, error) {
	return loadJSON.read(r)
}
