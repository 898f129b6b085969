package main

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

func fakeSpec(bin string) Spec {
	return Spec{Binary: []byte(bin), Arch: "amd64", Version: "v1.2.3-4-gabc", Epoch: time.Unix(0, 0).UTC()}
}

func digest(t *testing.T, s Spec) v1.Hash {
	t.Helper()
	img, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	d, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// The same inputs make the same digest; any input changed changes it.
func TestBuildReproducible(t *testing.T) {
	base := fakeSpec("#!p4p")
	want := digest(t, base)
	if got := digest(t, base); got != want {
		t.Fatalf("second build: got digest %s, want %s", got, want)
	}
	other := base
	other.Binary = []byte("#!p4q")
	newer := base
	newer.Epoch = base.Epoch.Add(time.Second)
	arm := base
	arm.Arch = "arm64"
	for name, s := range map[string]Spec{"binary": other, "epoch": newer, "arch": arm} {
		if got := digest(t, s); got == want {
			t.Errorf("another %s: got the same digest %s", name, got)
		}
	}
}

// A tarball written and read back is the image: its config runs the
// binary as a non-root user, and its layer holds the binary.
func TestTarballRoundTrip(t *testing.T) {
	s := fakeSpec("#!p4p binary bytes")
	img, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "p4p.tar")
	tag, err := name.NewTag("p4p:latest")
	if err != nil {
		t.Fatal(err)
	}
	if err := tarball.WriteToFile(path, tag, img); err != nil {
		t.Fatal(err)
	}
	back, err := tarball.ImageFromPath(path, &tag)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkImage(back, s.Binary, s.Arch, s.Version); err != nil {
		t.Fatal(err)
	}
	want, _ := img.Digest()
	if got, _ := back.Digest(); got != want {
		t.Errorf("read back: got digest %s, want %s", got, want)
	}
}

// TestBuiltImage checks the tarball make image wrote (P4P_IMAGE) against
// the binary it was built from (P4P_BIN), and runs the binary taken out of
// the image when this machine can.
func TestBuiltImage(t *testing.T) {
	path, binPath := os.Getenv("P4P_IMAGE"), os.Getenv("P4P_BIN")
	if path == "" || binPath == "" {
		t.Skip("P4P_IMAGE and P4P_BIN name make image's tarball and binary (make image-check)")
	}
	arch := cmpOr(os.Getenv("P4P_IMAGE_ARCH"), "amd64")
	bin, err := os.ReadFile(binPath)
	if err != nil {
		t.Fatal(err)
	}
	img, err := tarball.ImageFromPath(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if err := checkImage(img, bin, arch, cf.Config.Labels["org.opencontainers.image.version"]); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "linux" || runtime.GOARCH != arch {
		return
	}
	got, err := layerFile(img, BinaryPath)
	if err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(t.TempDir(), "p4p")
	if err := os.WriteFile(exe, got, 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(exe, cf.Config.Cmd...).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "usage: p4p COMMAND") {
		t.Fatalf("the image's p4p %v: %v\n%s", cf.Config.Cmd, err, out)
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// checkImage says what in img is not p4p's image for bin.
func checkImage(img v1.Image, bin []byte, arch, version string) error {
	cf, err := img.ConfigFile()
	if err != nil {
		return err
	}
	c := cf.Config
	switch {
	case cf.OS != "linux" || cf.Architecture != arch:
		return fmt.Errorf("platform %s/%s, want linux/%s", cf.OS, cf.Architecture, arch)
	case !slices.Equal(c.Entrypoint, []string{BinaryPath}):
		return fmt.Errorf("entrypoint %q, want [%s]", c.Entrypoint, BinaryPath)
	case c.User != User:
		return fmt.Errorf("user %q, want %q", c.User, User)
	case c.Labels["org.opencontainers.image.version"] != version || version == "":
		return fmt.Errorf("version label %q, want %q", c.Labels["org.opencontainers.image.version"], version)
	}
	if _, ok := c.ExposedPorts[Port]; !ok {
		return fmt.Errorf("exposed ports %v, want %s", c.ExposedPorts, Port)
	}
	got, err := layerFile(img, BinaryPath)
	if err != nil {
		return err
	}
	if !bytes.Equal(got, bin) {
		return fmt.Errorf("%s in the layer: %d bytes, not the %d of the binary", BinaryPath, len(got), len(bin))
	}
	return nil
}

// layerFile is the content of path in img's only layer, which must be
// executable.
func layerFile(img v1.Image, path string) ([]byte, error) {
	layers, err := img.Layers()
	if err != nil {
		return nil, err
	}
	if len(layers) != 1 {
		return nil, fmt.Errorf("%d layers, want 1", len(layers))
	}
	rc, err := layers[0].Uncompressed()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s is not in the layer", path)
		}
		if err != nil {
			return nil, err
		}
		if "/"+h.Name != path {
			continue
		}
		if h.Mode&0o111 == 0 {
			return nil, fmt.Errorf("%s has mode %o, not executable", path, h.Mode)
		}
		return io.ReadAll(tr)
	}
}
