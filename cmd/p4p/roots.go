package main

// The container image (deploy/image) has no base and so no system
// certificate roots; there p4p trusts the roots bundled with it (Mozilla's,
// as Go's x509roots/fallback carries them), so that it can reach an HTTPS
// Pull endpoint. Where the system has roots, they are used instead.
import _ "golang.org/x/crypto/x509roots/fallback"
