package refapp

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"p4p/token"
)

// javaKeyLength is how much of the key the JAVA 2.x SDK signs with (spec
// 2.2), as token.Validator accepts it.
const javaKeyLength = 32

// rawToken is a JWT taken apart but not yet trusted.
type rawToken struct {
	alg       string
	typ       string         // the header's typ, "" when absent
	claims    map[string]any // numbers as json.Number
	signed    string         // header.payload, what the signature covers
	signature string         // the third part, still base64url
}

// splitToken decodes a JWT's three parts as token.Validator's parser does:
// strict unpadded base64url, a JSON header whose alg is a string, and a
// JSON object of claims with numbers kept as json.Number.
func splitToken(tok string) (rawToken, error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return rawToken{}, fmt.Errorf("%w: %d dot-separated parts, want 3", token.ErrMalformed, len(parts))
	}
	var header map[string]any
	data, err := decodeSegment(parts[0])
	if err == nil {
		err = json.Unmarshal(data, &header)
	}
	if err != nil {
		return rawToken{}, fmt.Errorf("%w: header: %v", token.ErrMalformed, err)
	}
	alg, ok := header["alg"].(string)
	if !ok {
		return rawToken{}, fmt.Errorf("%w: alg missing or not a string", token.ErrAlgorithm)
	}
	var claims map[string]any
	data, err = decodeSegment(parts[1])
	if err == nil {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		err = dec.Decode(&claims)
	}
	if err != nil {
		return rawToken{}, fmt.Errorf("%w: claims: %v", token.ErrMalformed, err)
	}
	typ, _ := header["typ"].(string)
	return rawToken{alg: alg, typ: typ, claims: claims, signed: parts[0] + "." + parts[1], signature: parts[2]}, nil
}

// decodeSegment decodes one part of a JWT: strict base64url, no padding.
func decodeSegment(part string) ([]byte, error) {
	return base64.RawURLEncoding.Strict().DecodeString(part)
}

// verify checks the HS256 signature with the key as raw bytes (spec 2.2),
// or, for a key over 32 bytes, with the JAVA SDK's truncation of it.
func (t rawToken) verify(key string) error {
	sig, err := decodeSegment(t.signature)
	if err != nil {
		return fmt.Errorf("%w: signature is not base64url", token.ErrMalformed)
	}
	keys := []string{key}
	if len(key) > javaKeyLength {
		keys = append(keys, key[:javaKeyLength])
	}
	for _, k := range keys {
		mac := hmac.New(sha256.New, []byte(k))
		mac.Write([]byte(t.signed))
		if hmac.Equal(sig, mac.Sum(nil)) {
			return nil
		}
	}
	return token.ErrSignature
}

// claimsOf reads the claims LFAPIS requires (spec 2.4): domain and user_id
// strings, expires a finite number; display_name and iat are optional.
func claimsOf(raw map[string]any) (token.Claims, error) {
	var c token.Claims
	var ok bool
	if c.Domain, ok = raw["domain"].(string); !ok {
		return c, fmt.Errorf("%w: domain missing or not a string", token.ErrMalformed)
	}
	if c.UserID, ok = raw["user_id"].(string); !ok {
		return c, fmt.Errorf("%w: user_id missing or not a string", token.ErrMalformed)
	}
	c.DisplayName, _ = raw["display_name"].(string)
	n, ok := raw["expires"].(json.Number)
	if !ok {
		return c, fmt.Errorf("%w: expires missing or not a number", token.ErrMalformed)
	}
	f, err := n.Float64()
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return c, fmt.Errorf("%w: expires is not a finite number", token.ErrMalformed)
	}
	c.Expires = f
	if n, ok := raw["iat"].(json.Number); ok {
		if iat, err := n.Int64(); err == nil {
			c.IssuedAt = &iat
		}
	}
	return c, nil
}
