"""The multi-process part of `make test-scale` (scripts/test-scale.sh prepares PostgreSQL, Redis, the data and
the single-process reference, then runs this in the production-mode environment the servers use).

1. Starts two app servers (scripts/serve.sh: gunicorn) and two task workers (scripts/worker.sh: RQ on Redis).
2. Starts a proactive scan and the four banks' 2026 Q1 subsidy filings with `manage.py start_job`; they are split
   into county/batch and region parts that both workers take from the queue.
3. Catches a worker in the middle of a part (SIGSTOP, confirms the part is still running under that worker) and
   kills it with SIGKILL; the other worker takes the part over once its lease runs out.
4. Waits for every job to finish and checks every part is done, the killed part ran again, both workers did work.
5. Checks a session started on one app server is valid on the other, and a file uploaded through one downloads
   byte for byte through the other.
6. Compares the database with the single-process reference (scale/fingerprint.py) and verifies the audit chains.
Exit status 0 only if everything holds.
"""

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import close_old_connections  # noqa: E402

from chuangye.accounts.models import User  # noqa: E402
from chuangye.core.models import Attachment  # noqa: E402
from chuangye.jobs.models import Job, JobPart  # noqa: E402

PY = os.environ.get("PY", str(ROOT / ".venv/bin/python"))
HOST = "chuangye.test"  # the public name the proxy would pass on; CHUANGYE_ALLOWED_HOSTS names it
LOG_DIR = Path(os.environ.get("SCALE_LOG_DIR", "test-output/scale"))
ON = os.environ["SCALE_ON"]
FAILURES: list[str] = []


def check(condition: bool, message: str) -> None:
    print(("ok   " if condition else "FAIL ") + message, flush=True)
    if not condition:
        FAILURES.append(message)


def start(name: str, command: list[str], **env: str) -> subprocess.Popen[bytes]:
    log = open(LOG_DIR / f"{name}.log", "wb")  # noqa: SIM115 - kept open for the process's life
    return subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603


def wait_healthy(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers=_headers())
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:  # refused while starting, or no worker ready yet (URLError is an OSError too)
            pass
        time.sleep(0.5)
    raise SystemExit(f"app server on port {port} did not become healthy; see {LOG_DIR}")


def _headers(cookies: dict[str, str] | None = None, **extra: str) -> dict[str, str]:
    headers = {"Host": HOST, "X-Forwarded-Proto": "https", **extra}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    return headers


class Browser:
    """A client that keeps its cookies itself (they are Secure, and we speak http to the app servers as the TLS
    proxy would) and may send each request to a different app server."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(self, port: int, path: str, data: bytes | None = None, **headers: str) -> tuple[int, bytes]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}", data=data, headers=_headers(self.cookies, **headers)
        )
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            response = opener.open(request, timeout=30)
            status, body, received = response.status, response.read(), response.headers.get_all("Set-Cookie") or []
        except urllib.error.HTTPError as error:
            status, body, received = error.code, error.read(), error.headers.get_all("Set-Cookie") or []
        for header in received:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return status, body


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = "----chuangye-scale-boundary"
    out = bytearray()
    for name, value in fields.items():
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    for name, (filename, content, content_type) in files.items():
        out += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        ).encode()
        out += content + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


def sessions_and_uploads(port_a: int, port_b: int) -> None:
    browser = Browser()
    status, page = browser.request(port_a, "/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    check(status == 200 and token is not None, "app server A serves the sign-in form")
    if token is None:
        return
    form = f"username=scale_citizen&password=Chuangye%232026test&csrfmiddlewaretoken={token.group(1).decode()}"
    status, _ = browser.request(
        port_a,
        "/login/",
        form.encode(),
        **{"Content-Type": "application/x-www-form-urlencoded", "Referer": f"https://{HOST}/login/"},
    )
    check(status == 302 and "__Host-sessionid" in browser.cookies, "a citizen signs in on app server A")
    status, body = browser.request(port_b, "/api/v1/me")
    check(status == 200 and json.loads(body).get("username") == "scale_citizen", "the session is valid on server B")
    # A PNG (checked by its magic bytes) uploaded as evidence through server A...
    png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + os.urandom(64)
    body, content_type = multipart(
        {"category": "returning_migrant", "declaration": "规模测试：跨服务器上传"},
        {"evidence": ("证明.png", png, "image/png")},
    )
    status, answer = browser.request(
        port_a,
        "/api/v1/me/key-groups",
        body,
        **{
            "Content-Type": content_type,
            "X-CSRFToken": browser.cookies.get("__Host-csrftoken", ""),
            "Referer": f"https://{HOST}/me/",
        },
    )
    check(status == 201, f"evidence uploaded through server A (HTTP {status} {answer[:200]!r})")
    close_old_connections()
    citizen = User.objects.get(username="scale_citizen")
    attachment = Attachment.objects.filter(uploaded_by=citizen).order_by("-pk").first()
    check(attachment is not None, "the upload is recorded in the shared database")
    if attachment is not None:
        status, downloaded = browser.request(port_b, f"/workbench/attachments/{attachment.pk}/")
        check(status == 200 and downloaded == png, "the same file downloads byte for byte through server B")


def catch_and_kill(workers: dict[int, subprocess.Popen[bytes]], timeout: float = 180) -> tuple[JobPart, int] | None:
    """Once both workers have finished parts, SIGSTOP a worker seen running a part; if the part is still running
    under it, SIGKILL it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        close_old_connections()
        finished_by = set(JobPart.objects.filter(state="done").values_list("worker", flat=True))
        if len(finished_by) < 2:
            time.sleep(0.02)
            continue
        for part in JobPart.objects.filter(state="running").exclude(worker=""):
            pid = int(part.worker.rsplit(":", 1)[1])
            if pid not in workers:
                continue
            os.kill(pid, signal.SIGSTOP)
            part.refresh_from_db()
            if part.state == "running" and part.worker.endswith(f":{pid}"):
                os.kill(pid, signal.SIGKILL)
                workers.pop(pid).wait()
                print(f"killed worker {pid} in the middle of part {part.job_id}-{part.number} ({part.label})")
                return part, pid
            os.kill(pid, signal.SIGCONT)
        time.sleep(0.02)
    return None


def start_job(kind: str, *params: str) -> None:
    arguments = [PY, "manage.py", "start_job", kind, *(f"--param={p}" for p in params)]
    subprocess.run(arguments, cwd=ROOT, check=True)  # noqa: S603 - our own command


def main() -> int:
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    port_a, port_b = int(os.environ["SCALE_PORT_A"]), int(os.environ["SCALE_PORT_B"])
    servers = [
        start("server-a", ["bash", "scripts/serve.sh"], CHUANGYE_BIND=f"127.0.0.1:{port_a}"),
        start("server-b", ["bash", "scripts/serve.sh"], CHUANGYE_BIND=f"127.0.0.1:{port_b}"),
    ]
    worker_list = [start(f"worker-{n}", ["bash", "scripts/worker.sh"]) for n in (1, 2)]
    workers = {p.pid: p for p in worker_list}
    try:
        wait_healthy(port_a)
        wait_healthy(port_b)
        started = time.monotonic()
        banks = list(User.objects.filter(username__startswith="bench_bank_").order_by("username"))

        def start_all() -> None:  # the operators' commands, while the main thread watches the workers
            start_job("policies.scan", f"on={ON}", "part_size=4000", "notify=true")
            for bank in banks:
                start_job("loans.subsidy_claims", f"actor_id={bank.pk}", "year=2026", "quarter=1")

        starter = threading.Thread(target=start_all)
        starter.start()
        caught = catch_and_kill(workers)
        starter.join()
        killed, killed_pid = caught if caught else (None, 0)
        check(killed is not None, "a worker was killed with SIGKILL in the middle of a part")
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            close_old_connections()
            if not Job.objects.exclude(state__in=["done", "failed"]).exists():
                break
            time.sleep(1)
        elapsed = time.monotonic() - started
        jobs = list(Job.objects.order_by("pk"))
        check(bool(jobs) and all(j.state == "done" for j in jobs), f"all {len(jobs)} jobs done in {elapsed:.0f} s")
        parts = list(JobPart.objects.all())
        check(all(p.state == "done" for p in parts), f"all {len(parts)} parts done")
        runners = {p.worker.rsplit(":", 1)[1] for p in parts}
        check(len(runners) >= 2, f"parts were run by {len(runners)} worker processes")
        if killed is not None:
            killed.refresh_from_db()
            check(
                killed.state == "done" and killed.attempts >= 2 and not killed.worker.endswith(f":{killed_pid}"),
                f"the killed part was taken over and finished (attempts {killed.attempts}, by {killed.worker})",
            )
        sessions_and_uploads(port_a, port_b)
    finally:
        for process in [*servers, *workers.values()]:
            process.send_signal(signal.SIGTERM)
        for process in [*servers, *workers.values()]:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
