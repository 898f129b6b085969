// Package token builds and validates Livefyre tokens: HS256 JWTs with the
// custom claims domain, user_id, display_name and expires (absolute Unix
// seconds), signed with the network key used as raw bytes
// (../shared/spec/ping-for-pull.md section 2).
//
// Builders mirror the official SDKs (integer expires, or the Node SDK's
// float expires with iat); the Validator checks what every SDK's
// validateLivefyreToken checks (signature, domain, user, expiry) and is
// stricter on the algorithm: only HS256.
package token
