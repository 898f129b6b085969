package refapp_test

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"strings"
	"testing"

	"p4p/refapp"
)

func TestTLS(t *testing.T) {
	s := start(t, func(c *refapp.Config) { c.TLS = true })
	if !strings.HasPrefix(s.URL, "https://127.0.0.1:") {
		t.Errorf("got URL %s, want https://127.0.0.1:…", s.URL)
	}
	if !strings.HasPrefix(s.PullTemplate(), "https://") {
		t.Errorf("got PullTemplate %s, want https://…", s.PullTemplate())
	}
	cert := s.Certificate()
	if cert == nil {
		t.Fatal("got no Certificate, want the server's")
	}
	for _, host := range []string{"127.0.0.1", "::1", "localhost"} {
		if err := cert.VerifyHostname(host); err != nil {
			t.Errorf("certificate for %s: %v", host, err)
		}
	}
	served(t, s, "u-0001", systemToken(t))
	untrusting := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	resp, err := untrusting.Get(s.URL + "/healthz")
	if err == nil {
		resp.Body.Close()
	}
	var unverified *tls.CertificateVerificationError
	if !errors.As(err, &unverified) {
		t.Errorf("GET with the default roots: got %v, want a certificate verification error", err)
	}
}

func TestPlainClient(t *testing.T) {
	s := start(t, nil)
	if !strings.HasPrefix(s.URL, "http://") || s.Certificate() != nil {
		t.Errorf("got URL %s, certificate %v; want http:// and none", s.URL, s.Certificate() != nil)
	}
	served(t, s, "user_0003", systemToken(t))
}

// TestTLSGivenCertificate serves a certificate made before Start, which a
// client can trust before the server exists.
func TestTLSGivenCertificate(t *testing.T) {
	cert, leaf, err := refapp.NewCertificate()
	if err != nil {
		t.Fatal(err)
	}
	s := start(t, func(c *refapp.Config) { c.TLS, c.Certificate = true, &cert })
	if !s.Certificate().Equal(leaf) {
		t.Errorf("got Certificate %v, want the one given", s.Certificate().Subject)
	}
	roots := x509.NewCertPool()
	roots.AddCert(leaf)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: roots}
	client := &http.Client{Transport: tr}
	t.Cleanup(client.CloseIdleConnections)
	if resp, body := get(t, client, s.URL+"/healthz"); resp.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz: got %d %s, want 200", resp.StatusCode, body)
	}
	if _, err := refapp.Start(refapp.Config{Network: network, Key: key, TLS: true, Certificate: &tls.Certificate{}}); err == nil {
		t.Error("Start with an empty Certificate: got no error")
	}
}
