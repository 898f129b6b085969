package reports

import (
	"fmt"
	"path/filepath"
)

// Files are the paths of the files WriteDir wrote.
type Files struct {
	JSON    string // report.json
	JUnit   string // junit.xml
	HTML    string // report.html
	Archive string // results.tar.gz, holding the other three
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
