"""What the sign-in step and the locustfile share: talking HTTP to the production-mode server as the TLS proxy would.

The server runs in production mode on loopback behind no proxy, so every request carries ``X-Forwarded-Proto: https``
(gunicorn trusts it from 127.0.0.1, as it would from nginx) and an ``Origin`` of the https address for Django's CSRF
check. Its cookies are ``__Host-`` cookies with the Secure flag, which an http client keeps to itself; so we keep
them by hand and send them in a ``Cookie`` header.
"""

import base64
import hashlib
import hmac
import re
import struct
import time
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlsplit

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION_INPUT = re.compile(r'name="version" value="(\d+)"')


def proxy_headers(host: str) -> dict[str, str]:
    """Headers a TLS-terminating proxy in front of ``host`` (http://127.0.0.1:PORT) would add."""
    netloc = urlsplit(host).netloc
    return {"X-Forwarded-Proto": "https", "Origin": f"https://{netloc}", "Referer": f"https://{netloc}/"}


def update_cookies(jar: dict[str, str], response: Any) -> None:
    """Keep the cookies a response sets (a deleted cookie is dropped)."""
    for header in response.raw.headers.getlist("Set-Cookie"):
        parsed: SimpleCookie = SimpleCookie()
        parsed.load(header)
        for name, morsel in parsed.items():
            if morsel["max-age"] == "0" or not morsel.value:
                jar.pop(name, None)
            else:
                jar[name] = morsel.value


def cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def form_token(html: str) -> str:
    found = CSRF_INPUT.search(html)
    if found is None:
        raise ValueError("page has no CSRF token")
    return found.group(1)


def totp(key_hex: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 code for a django-otp TOTP device's hex key (t0 = 0, SHA-1), as an authenticator app shows it."""
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}d}"


def b32(key_hex: str) -> str:
    """The key as an authenticator app would be given it (for debugging by hand)."""
    return base64.b32encode(bytes.fromhex(key_hex)).decode("ascii").rstrip("=")


# Request names, shared by the locustfile (what locust reports) and the report (server-side times from the access
# log). The report's gate applies to the names starting with "case list" and "decision".
HOME = "citizen · portal home /"
POLICIES = "citizen · 我能享受的政策 /me/policies/"
MY_CASES = "case list · citizen /me/cases/"
MY_CASE = "citizen · case page /me/cases/[id]/"
INBOX = "citizen · inbox /inbox/"
QUEUE = "case list · workbench /workbench/cases/"
QUEUE_FILTERED = "case list · workbench filtered /workbench/cases/?…"
CASE_PAGE = "officer · case page /workbench/cases/[id]/"
DECISION = "decision · approve_on_spot POST /workbench/cases/[id]/"
_PATHS = (
    ("GET", re.compile(r"^/$"), HOME),
    ("GET", re.compile(r"^/me/policies/$"), POLICIES),
    ("GET", re.compile(r"^/me/cases/$"), MY_CASES),
    ("GET", re.compile(r"^/me/cases/\d+/$"), MY_CASE),
    ("GET", re.compile(r"^/inbox/$"), INBOX),
    ("GET", re.compile(r"^/workbench/cases/$"), QUEUE),
    ("GET", re.compile(r"^/workbench/cases/\?"), QUEUE_FILTERED),
    ("GET", re.compile(r"^/workbench/cases/\d+/$"), CASE_PAGE),
    ("POST", re.compile(r"^/workbench/cases/\d+/$"), DECISION),
)


def name_of(method: str, path: str) -> str:
    """The request name of a method and path (with its query string, if any); empty if not a scenario request."""
    for want, pattern, name in _PATHS:
        if method == want and pattern.search(path):
            return name
    return ""
