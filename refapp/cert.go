package refapp

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"time"
)

// certLifetime is how long a Server's self-signed certificate is valid,
// from an hour before Start so that clocks slightly behind accept it.
const certLifetime = 24 * time.Hour

// NewCertificate makes a fresh self-signed ECDSA P-256 certificate for
// 127.0.0.1, ::1 and localhost, valid from an hour ago for 24 hours, that
// is its own root. It returns it for Config.Certificate, and its parsed
// leaf for a pool of roots, so that a caller can trust a Server's
// certificate before starting it.
func NewCertificate() (tls.Certificate, *x509.Certificate, error) {
	cert, err := selfSigned(time.Now())
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("refapp: %w", err)
	}
	return cert, cert.Leaf, nil
}

// selfSigned makes a fresh ECDSA P-256 certificate for 127.0.0.1, ::1 and
// localhost that is its own root, as httptest's certificate is.
func selfSigned(now time.Time) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("certificate key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("certificate serial: %w", err)
	}
	notBefore := now.Add(-time.Hour)
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{Organization: []string{"p4p"}, CommonName: "p4p refapp"},
		NotBefore:             notBefore,
		NotAfter:              notBefore.Add(certLifetime),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

// serverCertificate is the certificate a TLS server serves: the one the
// config gives, else a fresh one.
func serverCertificate(given *tls.Certificate) (tls.Certificate, error) {
	if given == nil {
		return selfSigned(time.Now())
	}
	cert := *given
	if cert.Leaf == nil && len(cert.Certificate) > 0 {
		leaf, err := x509.ParseCertificate(cert.Certificate[0])
		if err != nil {
			return tls.Certificate{}, fmt.Errorf("the configured certificate: %w", err)
		}
		cert.Leaf = leaf
	}
	if cert.Leaf == nil {
		return tls.Certificate{}, errors.New("the configured certificate is empty")
	}
	return cert, nil
}

// clientTrusting is an http.Client, with a copy of the default transport,
// that trusts cert as a root; with a nil cert it trusts the system roots.
func clientTrusting(cert *x509.Certificate) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if cert != nil {
		roots := x509.NewCertPool()
		roots.AddCert(cert)
		tr.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	}
	return &http.Client{Transport: tr}
}

// Certificate is the self-signed certificate the server serves HTTPS
// with, or nil when it serves plain HTTP.
func (s *Server) Certificate() *x509.Certificate { return s.cert }

// Client is an http.Client that trusts the server's certificate, as
// httptest.Server.Client is; for plain HTTP, one with a copy of the
// default transport. It is the same client on every call, and its idle
// connections are closed by Close.
func (s *Server) Client() *http.Client { return s.client }
