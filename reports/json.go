package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"p4p"
)

// MaxReportSize is the largest report.json ReadConformance reads, and
// the largest summary.json ReadLoad reads.
const MaxReportSize = 64 << 20

// jsonFormat is a report type's JSON file: how its errors name it, and
// what a decoded one must hold.
type jsonFormat[T any] struct {
	name   string         // after "write " and "read " in errors: "report"
	object string         // in "data after the … object"
	check  func(*T) error // refuses a decoded value that is not one
}

// write writes v as indented JSON, without HTML escaping.
func (f jsonFormat[T]) write(w io.Writer, v *T) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write %s: %w", f.name, err)
	}
	return nil
}

// read reads what write wrote, at most MaxReportSize bytes of it.
func (f jsonFormat[T]) read(r io.Reader) (*T, error) {
	v, err := f.readLimited(r, MaxReportSize)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", f.name, err)
	}
	return v, nil
}

// readLimited is read with the size limit as a parameter and without
// the error's context.
func (f jsonFormat[T]) readLimited(r io.Reader, limit int64) (*T, error) {
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
	return f.decode(data)
}

// decode decodes exactly one object from data, refusing unknown fields,
// and checks it.
func (f jsonFormat[T]) decode(data []byte) (*T, error) {
	var v T
	if err := p4p.DecodeJSON(bytes.NewReader(data), &v); err != nil {
		if errors.Is(err, p4p.ErrTrailingData) {
			return nil, fmt.Errorf("data after the %s object", f.object)
		}
		return nil, err
	}
	if err := f.check(&v); err != nil {
		return nil, err
	}
	return &v, nil
}

// byteSize renders a size limit: "64 MiB", or "100 bytes" when it is not
// a whole number of MiB.
func byteSize(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
