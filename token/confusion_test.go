package token

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

// TestAlgorithmConfusion: the classic attacks on JWT validators. A token
// really signed with RS256 is refused for its algorithm, and so is an
// HS256 token whose HMAC key is an RSA public key (the "public key as
// secret" confusion): only the network key signs. Claims are the golden
// ones, valid in every other respect.
func TestAlgorithmConfusion(t *testing.T) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pub := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	claims := jwt.MapClaims{"domain": network, "user_id": "system", "expires": 1396655083}
	rs256, err := jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(priv)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, tok string
		want      error
	}{
		{"RS256 signed with an RSA key", rs256, ErrAlgorithm},
		{"HS256 with the RSA public key as secret", sign(hs256, golden, pub), ErrSignature},
		{"RS256 header, HMAC over the public key", sign(`{"alg":"RS256"}`, golden, pub), ErrAlgorithm},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := validator().Validate(tt.tok)
			if !errors.Is(err, tt.want) {
				t.Errorf("got error %v, want %v", err, tt.want)
			}
		})
	}
}

// TestHugeClaims: a token past MaxLength is refused before it is decoded,
// however its size is made up: one huge claim, many claims, or a huge
// signature.
func TestHugeClaims(t *testing.T) {
	many := strings.Repeat(`"k":1,`, MaxLength/6)
	tests := map[string]string{
		"one huge claim": sign(hs256, strings.TrimSuffix(golden, "}")+`,"x":"`+strings.Repeat("x", 2*MaxLength)+`"}`, key),
		"many claims":    sign(hs256, "{"+many+golden[1:], key),
		"huge signature": sign(hs256, golden, key) + strings.Repeat("A", 2*MaxLength),
	}
	for name, tok := range tests {
		if _, err := validator().Validate(tok); !errors.Is(err, ErrTooLong) {
			t.Errorf("%s (%d bytes): got error %v, want %v", name, len(tok), err, ErrTooLong)
		}
	}
}
