package reports

import (
	"errors"
	"io"
)

// conformanceJSON is how report.json is written and read.
var conformanceJSON = jsonFormat[Conformance]{
	name:   "report",
	object: "report",
	check: func(c *Conformance) error {
		if c.Suite == "" {
			return errors.New("not a conformance report: no suite")
		}
		return nil
	},
}

// WriteJSON writes c as indented JSON, fields in the order the types
// declare them and map keys sorted, so that equal reports give equal bytes.
func (c *Conformance) WriteJSON(w io.Writer) error {
	return conformanceJSON.write(w, c)
}

// ReadConformance reads a report.json that WriteJSON wrote. It refuses
// input larger than MaxReportSize, anything that is not one JSON object,
// fields the report types do not have, data after the object, and an
// object with no suite name.
func ReadConformance(r io.Reader) (*Conformance, error) {
	return conformanceJSON.read(r)
}
