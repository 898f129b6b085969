package reports

import (
	"fmt"
	"path/filepath"
)

// LoadFiles are the paths of the files WriteLoadDir wrote.
type LoadFiles struct {
	Summary string // summary.json
	JUnit   string // junit.xml
	HTML    string // report.html
}

// WriteLoadDir writes the load run's summary.json, junit.xml and
// report.html to dir, creating it if need be. Any other file in dir is
// left alone: the load engine writes results.bin, Vegeta's raw results,
// there itself.
//
// The files are rendered from l.Redact(secrets...). Before anything is
// written the renderings are searched for each secret as it is, JSON-,
// HTML-, XML- and URL-escaped; if one is found WriteLoadDir writes
// nothing and returns an error that does not quote the secret. If
// writing fails part way, the files already written are removed.
func WriteLoadDir(dir string, l *Load, secrets ...string) (LoadFiles, error) {
	files, err := writeLoadDir(dir, l, secrets)
	if err != nil {
		return LoadFiles{}, fmt.Errorf("write reports to %s: %w", dir, err)
	}
	return files, nil
}

// writeLoadDir is WriteLoadDir without the error's context.
func writeLoadDir(dir string, l *Load, secrets []string) (LoadFiles, error) {
	r := l.Redact(secrets...)
	outs, err := renderFiles([]renderer{
		{SummaryFile, r.WriteJSON},
		{"junit.xml", r.WriteJUnit},
		{"report.html", r.WriteHTML},
	})
	if err != nil {
		return LoadFiles{}, err
	}
	if err := writeChecked(dir, outs, secrets); err != nil {
		return LoadFiles{}, err
	}
	return LoadFiles{
		Summary: filepath.Join(dir, outs[0].name),
		JUnit:   filepath.Join(dir, outs[1].name),
		HTML:    filepath.Join(dir, outs[2].name),
	}, nil
}
