#!/usr/bin/env python3
"""A Pull endpoint written the way a Python integrator without the SDK
would: the standard library alone, the lftoken checked by hand.

It follows spec 1.5 and 2.4 in every respect but one: the domain claim is
compared case-insensitively and by suffix, "so that sub-networks and
however Livefyre capitalises the name pass". A token for "INTEROP.FYRE.CO"
or "www.interop.fyre.co" is served, which validateLivefyreToken refuses:
the conformance suite's near misses of the domain rule (P4P-AUTH-010) catch
it, and nothing else does.

Everything else is right: HS256 only, the signature made with the network
key's raw bytes (spec 2.2), user_id "system", expires a number (integer or
float) not past; a missing or invalid token is 403 with no body, an
unknown user 404, a known one 200 application/json.

Environment: NETWORK, NETWORK_KEY, USERS (comma-separated ids).
Prints "listening on http://127.0.0.1:PORT" once ready.
"""

import base64
import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

NETWORK = os.environ["NETWORK"]
KEY = os.environ["NETWORK_KEY"].encode("utf-8")
PULL_PATH = "/livefyre/pull"

PEOPLE = [
    ("Grace", "Hopper", "Rear Admiral Grace"),
    ("Guido", "van Rossum", "BDFL emeritus"),
    ("Frances", "Allen", "fran_allen"),
    ("Alan", "Kay", "alan.kay"),
]


def make_users(ids):
    users = {}
    for i, uid in enumerate(ids):
        first, last, display = PEOPLE[i % len(PEOPLE)]
        n = i // len(PEOPLE)
        suffix = str(n + 1) if n else ""
        slug = (first + "." + last).lower().replace(" ", "")
        users[uid] = {
            "id": uid,
            "display_name": display + suffix,
            "name": {"first": first, "last": last},
            "email": slug + suffix + "@example.net",
            "profile_url": "https://www.example.net/people/" + slug + suffix,
            "email_notifications": {"comments": "often", "replies": "immediately", "likes": "never"},
            "autofollow_conversations": i % 2 == 0,
        }
    return users


USERS = make_users([u for u in os.environ["USERS"].split(",") if u])


def b64url_decode(segment):
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def b64url_encode(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def domain_ok(domain):
    # The one rule this endpoint gets wrong: spec 2.4 wants
    # domain == NETWORK, byte for byte.
    return domain.lower().endswith(NETWORK.lower())


def valid_token(token):
    """validateLivefyreToken by hand: HS256 signature with the raw key,
    then domain, user_id "system" and expires >= now."""
    try:
        header_b64, payload_b64, signature = token.split(".")
        header = json.loads(b64url_decode(header_b64))
        claims = json.loads(b64url_decode(payload_b64))
        if not isinstance(header, dict) or not isinstance(claims, dict):
            return False
        if header.get("alg") != "HS256":
            return False
        signed = (header_b64 + "." + payload_b64).encode("ascii")
        expected = b64url_encode(hmac.new(KEY, signed, hashlib.sha256).digest())
        if not hmac.compare_digest(expected, signature):
            return False
        expires = claims.get("expires")
        return (domain_ok(claims["domain"])
                and claims.get("user_id") == "system"
                and is_number(expires) and expires >= time.time())
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeError):
        return False


class PullHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The headers and the body are written separately; without this, Nagle's
    # algorithm and the client's delayed ACK hold each response ~40 ms.
    disable_nagle_algorithm = True

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path != PULL_PATH:
            self.reply(404)
            return
        query = parse_qs(url.query, keep_blank_values=True)
        tokens = query.get("lftoken", [])
        if len(tokens) != 1 or not valid_token(tokens[0]):
            self.reply(403)
            return
        user = USERS.get(query.get("id", [""])[0])
        if user is None:
            self.reply(404)
            return
        body = json.dumps(user).encode("utf-8")
        self.reply(200, body, "application/json")

    def reply(self, status, body=b"", content_type=None):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), PullHandler)
    print("listening on http://127.0.0.1:%d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    sys.exit(main())
