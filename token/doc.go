// Package token owns Livefyre tokens (the "lftoken" and "actor_token"
// parameters): building them as the official SDKs do and validating them
// as the SDKs' validateLivefyreToken does. The spec is
// ../shared/spec/ping-for-pull.md, section 2; section numbers in comments
// refer to it.
//
// A Livefyre token is an HS256 JWT signed with the network key used as raw
// bytes, not base64-decoded. Its claims are domain (the full network name),
// user_id, display_name and expires, absolute Unix seconds: an integer from
// the PY, JAVA, PHP and RUBY SDKs, a float from the NODE SDK, which also
// adds iat. System builds the system token Livefyre pulls with; User builds
// a user auth token in either Style; Build signs arbitrary Claims.
//
// A Validator accepts a token when its signature is good, its domain is
// the network, its user is "system" (or one of Validator.Users) and expires
// is not in the past. It accepts every form real clients send (integer or
// float expires, iat, the JAVA SDK's 32-byte key truncation) but only the
// HS256 algorithm, and reports why it refused a token with one of the Err
// sentinels. Redact makes a token safe to log.
package token
