package main

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Where the image keeps p4p, and who runs it.
const (
	BinaryPath = "/usr/local/bin/p4p"
	User       = "65532:65532" // no name, no shell, not root
	Port       = "8080/tcp"    // p4p mock's and p4p refapp's usual port
)

// Spec is what an image is made of: the same Spec makes the same image,
// byte for byte, digest for digest.
type Spec struct {
	Binary  []byte // a static p4p for Arch (CGO_ENABLED=0)
	Arch    string // GOARCH: amd64, arm64
	Version string // p4p's version, as make build stamps it
	// Epoch is the time written into the layer's files and the config's
	// creation date (SOURCE_DATE_EPOCH); the Unix epoch by default.
	Epoch time.Time
}

// Build makes the image: an empty base, one layer holding the binary,
// /tmp and /reports, and a config that runs p4p as a non-root user.
func Build(s Spec) (v1.Image, error) {
	if len(s.Binary) == 0 {
		return nil, fmt.Errorf("image: no binary")
	}
	if s.Arch == "" || s.Version == "" {
		return nil, fmt.Errorf("image: arch and version are required")
	}
	layerTar, err := layerBytes(s.Binary, s.Epoch)
	if err != nil {
		return nil, err
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(layerTar)), nil
	}, tarball.WithMediaType(types.DockerLayer))
	if err != nil {
		return nil, fmt.Errorf("image: layer: %w", err)
	}
	img, err := mutate.Append(empty.Image, mutate.Addendum{Layer: layer, History: v1.History{
		Created: v1.Time{Time: s.Epoch}, CreatedBy: "p4p deploy/image", Comment: "p4p " + s.Version,
	}})
	if err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", s.Arch
	cf.Created = v1.Time{Time: s.Epoch}
	cf.Config = v1.Config{
		Entrypoint:   []string{BinaryPath},
		Cmd:          []string{"--help"},
		User:         User,
		WorkingDir:   "/",
		Env:          []string{"TMPDIR=/tmp"},
		ExposedPorts: map[string]struct{}{Port: {}},
		Labels: map[string]string{
			"org.opencontainers.image.title":       "p4p",
			"org.opencontainers.image.description": "Load-testing and conformance harness for Livefyre's Ping for Pull",
			"org.opencontainers.image.version":     s.Version,
		},
	}
	return mutate.ConfigFile(img, cf)
}

// layerBytes is the layer's tar: its entries in a fixed order, with fixed
// times and owners, so that the same binary makes the same layer.
func layerBytes(bin []byte, epoch time.Time) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	entries := []struct {
		name string
		mode int64
		uid  int
		data []byte
	}{
		{"tmp/", 0o1777, 0, nil},
		{"reports/", 0o755, 65532, nil},
		{"usr/", 0o755, 0, nil},
		{"usr/local/", 0o755, 0, nil},
		{"usr/local/bin/", 0o755, 0, nil},
		{strings.TrimPrefix(BinaryPath, "/"), 0o755, 0, bin},
	}
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Mode: e.mode, Uid: e.uid, Gid: e.uid, ModTime: epoch, Format: tar.FormatPAX}
		if h.Typeflag = tar.TypeDir; e.data != nil {
			h.Typeflag, h.Size = tar.TypeReg, int64(len(e.data))
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, fmt.Errorf("image: layer %s: %w", e.name, err)
		}
		if _, err := tw.Write(e.data); err != nil {
			return nil, fmt.Errorf("image: layer %s: %w", e.name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("image: layer: %w", err)
	}
	return buf.Bytes(), nil
}
