"""Mixed citizen and officer traffic for `make load` (scripts/load.sh).

Every simulated user is one of the accounts load/signin.py signed in (``LOAD_SESSIONS``, a JSON file), so the timed
run contains no logins. Request names say what a request is; the report gates on the names that start with
``case list`` and ``decision``.

Citizens (weight 3): the portal home, 我能享受的政策, their case list, one of their cases, their inbox.
Officers (weight 2): the case queue (plain and with filters), a case page, and a decision: the case page, then the
real POST of its form that approves a submitted 个体工商户 application on the spot (approve_on_spot), each case
decided by one officer only.
"""

import json
import os
import re
import secrets
import sys
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

sys.path.insert(0, str(Path(__file__).resolve().parent))

import web
from web import VERSION_INPUT, cookie_header, form_token, proxy_headers, update_cookies

SESSIONS = json.loads(Path(os.environ["LOAD_SESSIONS"]).read_text(encoding="utf-8"))
WAIT_LOW, WAIT_HIGH = (float(x) for x in os.environ.get("LOAD_WAIT", "1,3").split(","))
# Cases still to decide, per county; officers of a county take them one at a time (gevent: a pop is atomic).
TO_DECIDE: dict[str, list[int]] = {region: list(ids) for region, ids in SESSIONS["decide"].items()}
CASES_BY_REGION: dict[str, list[int]] = {region: list(ids) for region, ids in SESSIONS["decide"].items()}
QUEUE_FILTERS = (
    "?state=submitted",
    "?case_type=registration.establish&state=submitted",
    "?flag=due_soon",
    "?mine=1",
    "?page=2",
)
_next_account = {"citizens": 0, "officers": 0}


def _failure(response: Any) -> str:
    """Short reason for the failure table: the status and where a redirect went (ids replaced by [id])."""
    location = re.sub(r"\d+", "[id]", response.headers.get("Location", "").split("?")[0])
    return f"HTTP {response.status_code}" + (f" to {location}" if location else "")


def _take(kind: str) -> dict[str, Any]:
    """Each simulated user gets its own account (shared round-robin only if there are more users than accounts)."""
    pool: list[dict[str, Any]] = SESSIONS[kind]
    account = pool[_next_account[kind] % len(pool)]
    _next_account[kind] += 1
    return account


class SignedInUser(HttpUser):
    abstract = True
    wait_time = between(WAIT_LOW, WAIT_HIGH)
    kind = ""

    def on_start(self) -> None:
        self.account = _take(self.kind)
        self.jar: dict[str, str] = dict(self.account["cookies"])
        self.client.headers.update(proxy_headers(self.host or ""))

    def page(self, path: str, name: str) -> str:
        """GET a page that must answer 200 itself (a redirect would mean the session was lost)."""
        with self.client.get(
            path, name=name, headers={"Cookie": cookie_header(self.jar)}, allow_redirects=False, catch_response=True
        ) as response:
            update_cookies(self.jar, response)
            if response.status_code != 200:
                response.failure(_failure(response))
                return ""
            return str(response.text)


class Citizen(SignedInUser):
    weight = 3
    kind = "citizens"

    @task(2)
    def home(self) -> None:
        self.page("/", web.HOME)

    @task(2)
    def policies(self) -> None:
        self.page("/me/policies/", web.POLICIES)

    @task(3)
    def my_cases(self) -> None:
        self.page("/me/cases/", web.MY_CASES)

    @task(2)
    def my_case(self) -> None:
        if self.account["cases"]:
            case_id = secrets.choice(self.account["cases"])
            self.page(f"/me/cases/{case_id}/", web.MY_CASE)

    @task(1)
    def inbox(self) -> None:
        self.page("/inbox/", web.INBOX)


class Officer(SignedInUser):
    weight = 2
    kind = "officers"

    @task(3)
    def queue(self) -> None:
        self.page("/workbench/cases/", web.QUEUE)

    @task(3)
    def queue_filtered(self) -> None:
        query = secrets.choice(QUEUE_FILTERS)
        self.page(f"/workbench/cases/{query}", web.QUEUE_FILTERED)

    @task(2)
    def case_page(self) -> None:
        cases = CASES_BY_REGION[self.account["region"]]
        if cases:
            self.page(f"/workbench/cases/{secrets.choice(cases)}/", web.CASE_PAGE)

    @task(2)
    def decide(self) -> None:
        pool = TO_DECIDE[self.account["region"]]
        if not pool:
            return
        case_id = pool.pop()
        path = f"/workbench/cases/{case_id}/"
        html = self.page(path, web.CASE_PAGE)
        if not html:
            return
        version = VERSION_INPUT.search(html)
        data = {
            "csrfmiddlewaretoken": form_token(html),
            "version": version.group(1) if version else "",
            "comment": "",
            "action": "approve_on_spot",
        }
        with self.client.post(
            path,
            data=data,
            name=web.DECISION,
            headers={"Cookie": cookie_header(self.jar)},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            update_cookies(self.jar, response)
            if response.status_code != 302 or response.headers.get("Location") != path:
                response.failure(_failure(response))
