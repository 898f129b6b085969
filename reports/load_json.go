package reports

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
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

// SummaryFile is the name of the summary WriteLoadDir writes.
const SummaryFile = "summary.json"

// ReadLoadDir reads the SummaryFile WriteLoadDir wrote in dir, as ReadLoad.
func ReadLoadDir(dir string) (*Load, error) {
	f, err := os.Open(filepath.Join(dir, SummaryFile))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	l, err := ReadLoad(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", SummaryFile, err)
	}
	return l, nil
}
