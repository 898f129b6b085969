//go:build linux || darwin || freebsd || netbsd || openbsd

package mockserver

import "syscall"

// diskSpace reports the bytes free to an unprivileged writer and the size
// of the filesystem holding dir.
func diskSpace(dir string) (free, size int64, err error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, 0, err
	}
	bsize := int64(st.Bsize) //nolint:unconvert // int64 on linux, uint32 on darwin
	return int64(st.Bavail) * bsize, int64(st.Blocks) * bsize, nil
}
