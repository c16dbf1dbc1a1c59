"""gunicorn settings for `make serve` (scripts/serve.sh). Everything comes from CHUANGYE_* variables; see
docs/deployment.md. App servers hold no state of their own (sessions, cache, rate limits, tasks and uploads live in
PostgreSQL, Redis and the shared media directory), so any number of them can stand behind the proxy."""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


bind = os.environ.get("CHUANGYE_BIND", "127.0.0.1:8000")
# Synchronous workers: requests are short (long work goes to the task workers), and a sync worker killed mid-request
# loses only that request; the client's idempotency key makes its retry safe.
workers = _int("CHUANGYE_WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
timeout = _int("CHUANGYE_WEB_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak cannot grow without bound.
max_requests = _int("CHUANGYE_WEB_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - gunicorn's heartbeat files
# The proxy in front (nginx) terminates TLS and sets X-Forwarded-For / -Proto; trust it only from these addresses.
forwarded_allow_ips = os.environ.get("CHUANGYE_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("CHUANGYE_ACCESS_LOG", "-") or None  # blank: no access log
errorlog = "-"
loglevel = os.environ.get("CHUANGYE_LOG_LEVEL", "info").lower()
proc_name = "chuangye-web"
# gunicorn's runtime control socket sits at one path per user by default, which two app servers on one machine
# would share; we manage processes with signals and systemd, so it is off.
control_socket_disable = True
