package reports

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Files are the paths of the files WriteDir wrote.
type Files struct {
	JSON    string // report.json
	JUnit   string // junit.xml
	HTML    string // report.html
	Archive string // results.tar.gz, holding the other three
}

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

// WriteDir writes the run's report.json, junit.xml and report.html to
// dir, creating it if need be, and then results.tar.gz holding those
// three files under a directory named after dir.
//
// The files are rendered from a copy of c with every secret (the network
// key, a token) replaced by "[redacted]". Before anything is written the
// renderings are searched for each secret as it is, JSON-, HTML-, XML-
// and URL-escaped; if one is found WriteDir writes nothing and returns an
// error that does not quote the secret. If writing fails part way, the
// files already written are removed.
func WriteDir(dir string, c *Conformance, secrets ...string) (Files, error) {
	files, err := writeDir(dir, c, secrets)
	if err != nil {
		return Files{}, fmt.Errorf("write reports to %s: %w", dir, err)
	}
	return files, nil
}

// writeDir is WriteDir without the error's context.
func writeDir(dir string, c *Conformance, secrets []string) (Files, error) {
	r := c.Redact(secrets...)
	outs, err := renderFiles([]renderer{
		{"report.json", r.WriteJSON},
		{"junit.xml", r.WriteJUnit},
		{"report.html", r.WriteHTML},
	})
	if err != nil {
		return Files{}, err
	}
	archive, err := archiveOf(archiveRoot(dir), c.Started, outs, secrets)
	if err != nil {
		return Files{}, err
	}
	outs = append(outs, rendering{"results.tar.gz", archive})
	if err := writeChecked(dir, outs, secrets); err != nil {
		return Files{}, err
	}
	return Files{
		JSON:    filepath.Join(dir, outs[0].name),
		JUnit:   filepath.Join(dir, outs[1].name),
		HTML:    filepath.Join(dir, outs[2].name),
		Archive: filepath.Join(dir, outs[3].name),
	}, nil
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
