package reports

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
)

// writeHTML executes t on page and writes the result to w only when all
// of it rendered; what names the report in the error.
func writeHTML(w io.Writer, t *template.Template, page any, what string) error {
	var b bytes.Buffer
	if err := t.Execute(&b, page); err != nil {
		return fmt.Errorf("write %s: %w", what, err)
	}
	if _, err := b.WriteTo(w); err != nil {
		return fmt.Errorf("write %s: %w", what, err)
	}
	return nil
}
