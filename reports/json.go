package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// MaxReportSize is the largest report.json ReadConformance reads.
const MaxReportSize = 64 << 20

// WriteJSON writes c as indented JSON, fields in the order the types
// declare them and map keys sorted, so that equal reports give equal bytes.
func (c *Conformance) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(c); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// ReadConformance reads a report.json that WriteJSON wrote. It refuses
// input larger than MaxReportSize, anything that is not one JSON object,
// fields the report types do not have, data after the object, and an
// object with no suite name.
func ReadConformance(r io.Reader) (*Conformance, error) {
	c, err := readConformance(r, MaxReportSize)
	if err != nil {
		return nil, fmt.Errorf("read report: %w", err)
	}
	return c, nil
}

// readConformance is ReadConformance with the size limit as a parameter.
func readConformance(r io.Reader, limit int64) (*Conformance, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("larger than %s", byteSize(limit))
	}
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return nil, errors.New("not a JSON object")
	}
	return decodeConformance(data)
}

// decodeConformance decodes exactly one report object from data.
func decodeConformance(data []byte) (*Conformance, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var c Conformance
	if err := dec.Decode(&c); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the report object")
	}
	if c.Suite == "" {
		return nil, errors.New("not a conformance report: no suite")
	}
	return &c, nil
}

// byteSize renders a size limit: "64 MiB", or "100 bytes" when it is not
// a whole number of MiB.
func byteSize(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
