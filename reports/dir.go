package reports

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
)

// rendering is one file of a report directory: its name and bytes.
type rendering struct {
	name string
	data []byte
}

// renderer is one file of a report directory before it is rendered:
// its name and what writes it.
type renderer struct {
	name  string
	write func(io.Writer) error
}

// renderFiles renders each file in order, with room for one more (an
// archive of them).
func renderFiles(renderers []renderer) ([]rendering, error) {
	outs := make([]rendering, 0, len(renderers)+1)
	for _, r := range renderers {
		var b bytes.Buffer
		if err := r.write(&b); err != nil {
			return nil, err
		}
		outs = append(outs, rendering{r.name, b.Bytes()})
	}
	return outs, nil
}

// writeChecked searches outs for the secrets and, when none is there,
// writes them to dir as writeFiles does; when one is there it writes
// nothing.
func writeChecked(dir string, outs []rendering, secrets []string) error {
	for _, o := range outs {
		if err := checkLeaks(o.name, o.data, secrets); err != nil {
			return err
		}
	}
	return writeFiles(dir, outs)
}

// writeFiles creates dir and writes outs to it, removing what it wrote
// if a write fails.
func writeFiles(dir string, outs []rendering) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var written []string
	for _, o := range outs {
		path := filepath.Join(dir, o.name)
		if err := os.WriteFile(path, o.data, 0o644); err != nil {
			removeAll(append(written, path))
			return err
		}
		written = append(written, path)
	}
	return nil
}

// removeAll removes the files at paths, ignoring errors: it cleans up
// after a failure that is already being reported.
func removeAll(paths []string) {
	for _, p := range paths {
		os.Remove(p)
	}
}
