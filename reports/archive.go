package reports

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"path"
	"path/filepath"
	"time"
)

// archiveRoot is the name of the directory results.tar.gz holds its
// files under: the base name of dir, or "results" when dir has none.
func archiveRoot(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	base := filepath.Base(dir)
	if base == "." || base == string(filepath.Separator) || base == "" {
		return "results"
	}
	return base
}

// archiveOf makes a gzipped tar of outs under root, every member a
// regular file with mode 0644 and modified at mtime (to the second, as
// tar keeps it), so that the same run gives the same archive. The uncompressed tar is checked for the
// secrets before it is compressed.
func archiveOf(root string, mtime time.Time, outs []rendering, secrets []string) ([]byte, error) {
	var tarball bytes.Buffer
	tw := tar.NewWriter(&tarball)
	for _, o := range outs {
		hdr := &tar.Header{
			Typeflag: tar.TypeReg,
			Name:     path.Join(root, o.name),
			Mode:     0o644,
			Size:     int64(len(o.data)),
			ModTime:  mtime.Truncate(time.Second),
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, err
		}
		if _, err := tw.Write(o.data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := checkLeaks("results.tar", tarball.Bytes(), secrets); err != nil {
		return nil, err
	}
	return gzipped(tarball.Bytes(), mtime)
}

// gzipped compresses data with mtime in the gzip header.
func gzipped(data []byte, mtime time.Time) ([]byte, error) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.ModTime = mtime
	if _, err := zw.Write(data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
