package reports

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
)

// writeHTML executes the template tmpl gives on page and writes the result
// to w only when all of it rendered; what names the report in the error.
func writeHTML(w io.Writer, tmpl func() (*template.Template, error), page any, what string) error {
	t, err := tmpl()
	if err != nil {
		return fmt.Errorf("write %s: %w", what, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, page); err != nil {
		return fmt.Errorf("write %s: %w", what, err)
	}
	if _, err := b.WriteTo(w); err != nil {
		return fmt.Errorf("write %s: %w", what, err)
	}
	return nil
}
