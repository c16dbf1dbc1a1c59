"""Sign the load scenario's accounts in through the real login pages, before the timed run.

Citizens: GET /login/, POST username and password. Officers: the same, then POST the current TOTP code to
/login/otp/ (computed from the authenticator key load/setup.py gave their device). The login views are rate-limited
per client address (django-ratelimit, 30 POSTs a minute per view) and every client here is 127.0.0.1, so when the
server answers 429 we wait and try again, as a person would: security settings stay as they are. Writes the session
cookies for the locustfile, after visiting each account's pages once (warm-up, untimed).

    .venv/bin/python load/signin.py --host http://127.0.0.1:PORT --accounts accounts.json --out sessions.json
"""

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from web import cookie_header, form_token, proxy_headers, totp, update_cookies

SESSION_COOKIE = "__Host-sessionid"


class SignInError(RuntimeError):
    pass


def _send(method: str, url: str, jar: dict[str, str], headers: dict[str, str], **kwargs: Any) -> requests.Response:
    """One request; on 429 (rate limit) wait a few seconds and send it again, up to three minutes."""
    deadline = time.monotonic() + 180
    while True:
        response = requests.request(
            method, url, headers={**headers, "Cookie": cookie_header(jar)}, allow_redirects=False, timeout=30, **kwargs
        )
        if response.status_code != 429 or time.monotonic() > deadline:
            update_cookies(jar, response)
            return response
        time.sleep(5)


def sign_in(host: str, username: str, password: str, totp_key: str = "") -> dict[str, str]:
    headers = proxy_headers(host)
    jar: dict[str, str] = {}
    page = _send("GET", f"{host}/login/", jar, headers)
    data = {"username": username, "password": password, "next": "", "csrfmiddlewaretoken": form_token(page.text)}
    answer = _send("POST", f"{host}/login/", jar, headers, data=data)
    if answer.status_code != 302:
        raise SignInError(f"{username}: login answered {answer.status_code}")
    if totp_key:
        if not answer.headers["Location"].startswith("/login/otp/"):
            raise SignInError(f"{username}: expected the TOTP step, got {answer.headers['Location']}")
        page = _send("GET", f"{host}/login/otp/", jar, headers)
        while True:
            code = totp(totp_key)
            # A code works once and only within its 30-second step: do not send one that is about to expire.
            if 30 - int(time.time()) % 30 >= 3:
                break
            time.sleep(3)
        data = {"token": code, "next": "", "csrfmiddlewaretoken": form_token(page.text)}
        answer = _send("POST", f"{host}/login/otp/", jar, headers, data=data)
        if answer.status_code != 302 or answer.headers["Location"].startswith("/login"):
            raise SignInError(f"{username}: TOTP step answered {answer.status_code}")
    if SESSION_COOKIE not in jar:
        raise SignInError(f"{username}: no session cookie after login")
    return jar


def warm_up(host: str, jar: dict[str, str], paths: list[str]) -> None:
    """Visit the scenario's pages once, untimed: a fresh gunicorn worker loads the URL configuration, the views and
    the templates on its first requests (about 0.7 s of CPU), which the timed run should not measure."""
    headers = proxy_headers(host)
    for path in paths:
        response = _send("GET", f"{host}{path}", jar, headers)
        if response.status_code != 200:
            raise SignInError(f"warm-up: {path} answered {response.status_code}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", required=True)
    parser.add_argument("--accounts", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    accounts = json.loads(Path(args.accounts).read_text(encoding="utf-8"))
    password = accounts["password"]
    started = time.perf_counter()
    citizens = [{**c, "cookies": sign_in(args.host, c["username"], password)} for c in accounts["citizens"]]
    officers = [
        {
            "username": o["username"],
            "region": o["region"],
            "cookies": sign_in(args.host, o["username"], password, o["totp_key"]),
        }
        for o in accounts["officers"]
    ]
    for citizen in citizens:
        warm_up(args.host, citizen["cookies"], ["/", "/me/policies/", "/me/cases/", "/inbox/"])
    for officer in officers:
        warm_up(args.host, officer["cookies"], ["/workbench/cases/", "/workbench/cases/?state=submitted"])
    out = Path(args.out)
    out.write_text(
        json.dumps({"citizens": citizens, "officers": officers, "decide": accounts["decide"]}, ensure_ascii=False),
        encoding="utf-8",
    )
    out.chmod(0o600)
    print(f"signed in {len(citizens)} citizens and {len(officers)} officers in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
