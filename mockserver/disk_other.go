//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package mockserver

import "errors"

// diskSpace is unknown here: the store's limit then rests on JetStream's
// own accounting (Config.MaxStore) alone.
func diskSpace(string) (free, size int64, err error) {
	return 0, 0, errors.New("free disk space is not measured on this platform")
}
