// Command image builds p4p's container image without a Docker daemon or a
// base image: one layer holding a static p4p binary on an empty base,
// written as a tarball that docker load, podman load, kind load
// image-archive and ctr images import take.
//
//	go run ./image -bin ../bin/p4p-linux-amd64 -arch amd64 -version v1 -o ../bin/p4p-image.tar
//
// The same binary, version and epoch make the same image digest; make
// image builds it (see the Makefile), make image-check reads it back.
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "image: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("image", flag.ContinueOnError)
	bin := fs.String("bin", "", "the static p4p binary to put in the image")
	arch := fs.String("arch", "amd64", "the binary's GOARCH")
	version := fs.String("version", "devel", "p4p's version: the image's tag and version label")
	repo := fs.String("repo", "p4p", "the image's name, without a registry host")
	out := fs.String("o", "", "the tarball to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *bin == "" || *out == "" {
		return fmt.Errorf("-bin and -o are required")
	}
	epoch, err := sourceDateEpoch()
	if err != nil {
		return err
	}
	b, err := os.ReadFile(*bin)
	if err != nil {
		return err
	}
	img, err := Build(Spec{Binary: b, Arch: *arch, Version: *version, Epoch: epoch})
	if err != nil {
		return err
	}
	// Tagged latest, which deploy/k8s names; the version is in the
	// image's labels. One tag only: with two, go-containerregistry
	// lists them in map order, and the same inputs would not make the
	// same tarball byte for byte.
	tag, err := name.NewTag(*repo + ":latest")
	if err != nil {
		return err
	}
	if err := tarball.WriteToFile(*out, tag, img); err != nil {
		return err
	}
	d, err := img.Digest()
	if err != nil {
		return err
	}
	fmt.Printf("%s: %s:latest (version %s) linux/%s %s\n", *out, *repo, *version, *arch, d)
	return nil
}

// sourceDateEpoch is SOURCE_DATE_EPOCH, the reproducible-builds
// convention, else the Unix epoch.
func sourceDateEpoch() (time.Time, error) {
	v := os.Getenv("SOURCE_DATE_EPOCH")
	if v == "" {
		return time.Unix(0, 0).UTC(), nil
	}
	s, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q: %w", v, err)
	}
	return time.Unix(s, 0).UTC(), nil
}
