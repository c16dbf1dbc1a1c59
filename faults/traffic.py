"""Traffic against a live gunicorn on PostgreSQL while faults are injected, then the invariants (faults/checks.py).

    python -m faults.traffic STATE.json RESULTS.json

scripts/faults.sh starts everything and sets the environment: FAULTS_BASE_URL (gunicorn), FAULTS_MASTER_PID
(gunicorn's master, whose children are the workers), PG_* (scripts/lib/pg.sh, to restart the cluster) and the
CHUANGYE_* variables of the servers (the checks read the same database with Django).

Clients behave as real ones: a citizen's browser posts the registration form with its form key, the bank's system
posts disbursements and repayments with an Idempotency-Key; after a connection error, a 5xx or a 429 each retries
the same request with the same key until it is acknowledged (2xx, or the 302 to the new case). Phases:

  kill        every second or two SIGKILL a worker caught in the middle of a request;
  fast        ``pg_restart fast`` in the middle of the traffic;
  immediate   ``pg_restart immediate`` (a crash: the server is killed, then recovers from its WAL);
  outage      the cluster killed (immediate) and kept down for several seconds before it starts again.

After each phase: the database invariants; after the PostgreSQL phases also that the same gunicorn workers serve
again (no restart) and how long /healthz took to answer 200. At the end every acknowledged request is sent once more
and must answer with the same record. Exit 1 if anything failed.

The clients themselves (browser, bank, the retrying ``submit`` and the ledger of acknowledgements) are in
faults/clients.py; this module runs the phases and injects the faults.
"""

import contextlib
import datetime as dt
import json
import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import requests

from faults.clients import HOST, LOG, Bank, Browser, Ledger, _now, _send

ROOT = Path(__file__).resolve().parent.parent


def _serving_a_client(pids: list[int], port: int) -> list[int]:
    """The workers among ``pids`` that hold an accepted connection on ``port``: in the middle of a request."""
    inodes: dict[str, int] = {}
    for pid in pids:
        with contextlib.suppress(OSError):
            for fd in os.listdir(f"/proc/{pid}/fd"):
                with contextlib.suppress(OSError):
                    target = os.readlink(f"/proc/{pid}/fd/{fd}")
                    if target.startswith("socket:["):
                        inodes[target[8:-1]] = pid
    busy = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port, state, inode = int(fields[1].rsplit(":", 1)[1], 16), fields[3], fields[9]
        if local_port == port and state != "0A" and inode in inodes:  # 0A: the listening socket
            busy.add(inodes[inode])
    return sorted(busy)


class Run:
    def __init__(self, state: dict[str, Any]) -> None:
        self.state = state
        self.base = os.environ["FAULTS_BASE_URL"]
        self.master = int(os.environ["FAULTS_MASTER_PID"])
        now = dt.datetime.now(dt.timezone(dt.timedelta(hours=8)))
        self.run_id = now.strftime("%H%M%S")
        self.today = now.date().isoformat()
        self.browsers = [Browser(self.base, u, state["password"]) for u in state["registrants"]]
        self.bank = Bank(self.base, state["bank_token"])
        self.applications: queue.Queue[int] = queue.Queue()
        for pk in state["approved_applications"]:
            self.applications.put(pk)
        self.books = Ledger()
        self.sequence = iter(range(1, 10**6))
        self.results: dict[str, Any] = {"phases": {}}
        self.failures: list[str] = []

    # --- clients ------------------------------------------------------------------------------------------------
    def citizen(self, browser: Browser, stop: threading.Event) -> None:
        record = self.books.registrations.setdefault(browser.username, {"acks": [], "sent": [], "retried": []})
        while not stop.is_set():
            key = f"f{self.run_id}-{browser.username[-2:]}-{next(self.sequence):05d}"
            with self.books.lock:
                record["sent"].append(key)
            done = browser.register(key)
            if done is not None:
                with self.books.lock:
                    record["acks"].append((key, done[0]))
                    if done[1]:
                        record["retried"].append((key, done[2]))

    def disburser(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                application = self.applications.get_nowait()
            except queue.Empty:
                return
            key = f"disb-{self.run_id}-{application}"
            body = {
                "application_id": application,
                "contract_number": f"FAULT-{self.run_id}-{application}",
                "contract_date": self.today,
                "disbursed_on": self.today,
                "principal": "100000.00",
                "term_months": 24,
                "spread": "0",
            }
            with self.books.lock:
                self.books.disbursement_keys.append(key)
                self.books.disbursement_bodies[key] = body
            response = self.bank.post("/api/v1/loans/disbursements", body, key)
            if response is not None:
                with self.books.lock:
                    self.books.disbursements.append((application, key, response.json()["id"]))

    def repayer(self, loan: int, stop: threading.Event) -> None:
        while not stop.is_set():
            key = f"repay-{self.run_id}-{loan}-{next(self.sequence):05d}"
            body = {"loan_id": loan, "paid_on": self.today, "principal": "0", "interest": "1.00"}
            with self.books.lock:
                self.books.repayment_keys.append(key)
                self.books.repayment_bodies[key] = body
            response = self.bank.post("/api/v1/loans/repayments", body, key)
            if response is not None:
                with self.books.lock:
                    self.books.repayments.append((loan, key, response.json()["id"]))
            time.sleep(0.1)

    # --- processes ----------------------------------------------------------------------------------------------
    def workers(self) -> set[int]:
        path = Path(f"/proc/{self.master}/task/{self.master}/children")
        return {int(pid) for pid in path.read_text().split()} if path.exists() else set()

    def wait_workers(self, count: int, timeout: float = 90) -> None:
        deadline = _now() + timeout
        while len(self.workers()) < count and _now() < deadline:
            time.sleep(0.5)

    def healthy_after(self, start: float, timeout: float = 60) -> float | None:
        """Seconds from ``start`` until /healthz answers 200."""
        deadline = _now() + timeout
        while _now() < deadline:
            with contextlib.suppress(requests.RequestException):
                response = _send("GET", self.base + "/healthz", headers={"Host": HOST, "X-Forwarded-Proto": "https"})
                if response.status_code == 200:
                    return round(_now() - start, 2)
            time.sleep(0.2)
        return None

    def pg(self, script: str) -> None:
        bash = shutil.which("bash") or "/bin/bash"
        subprocess.run([bash, "-c", f"source scripts/lib/pg.sh && {script}"], cwd=ROOT, check=True)  # noqa: S603

    # --- phases -------------------------------------------------------------------------------------------------
    def traffic(self, name: str, duration: float, inject: Any) -> dict[str, Any]:
        LOG.phase = name
        stop = threading.Event()
        loans = self.state["repayment_loans"]
        threads = [threading.Thread(target=self.citizen, args=(b, stop)) for b in self.browsers]
        threads.append(threading.Thread(target=self.disburser, args=(stop,)))
        threads += [threading.Thread(target=self.repayer, args=(loan, stop)) for loan in loans]
        before = {k: len(v) for k, v in (("disb", self.books.disbursements), ("repay", self.books.repayments))}
        acks_before = sum(len(r["acks"]) for r in self.books.registrations.values())
        workers_before = self.workers()
        started = _now()
        for thread in threads:
            thread.start()
        detail = inject(started, duration)
        remaining = duration - (_now() - started)
        if remaining > 0:
            time.sleep(remaining)
        stop.set()
        for thread in threads:
            thread.join()
        elapsed = round(_now() - started, 1)
        acks = sum(len(r["acks"]) for r in self.books.registrations.values()) - acks_before
        summary = {
            "seconds": elapsed,
            "acknowledged": {
                "registrations": acks,
                "disbursements": len(self.books.disbursements) - before["disb"],
                "repayments": len(self.books.repayments) - before["repay"],
            },
            "outcomes": dict(LOG.outcomes.get(name, Counter())),
            "workers_before": sorted(workers_before),
            "workers_after": sorted(self.workers()),
            **detail,
        }
        self.results["phases"][name] = summary
        return summary

    def kill_workers(self, started: float, duration: float) -> dict[str, Any]:
        """Every couple of seconds SIGKILL a worker caught in the middle of a request (it holds an accepted client
        connection), while at least one other worker is up for the clients' retries."""
        kills = 0
        port = int(self.base.rsplit(":", 1)[1])
        pick = random.Random()  # noqa: S311 - choosing a victim, not a secret
        while _now() - started < duration - 4:
            time.sleep(pick.uniform(1.0, 2.0))
            victim, until = None, _now() + 2.0
            while victim is None and _now() < until:
                workers = sorted(self.workers())
                busy = _serving_a_client(workers, port) if len(workers) >= 2 else []
                victim = pick.choice(busy) if busy else None
                time.sleep(0.005)
            if victim is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(victim, signal.SIGKILL)
                    kills += 1
        return {"sigkilled_workers_mid_request": kills}

    def restart_postgres(self, mode: str, down_seconds: int = 0) -> Any:
        def inject(started: float, duration: float) -> dict[str, Any]:
            from django.db import connections

            connections.close_all()
            time.sleep(6)
            begin = _now()
            if down_seconds:
                # scripts/lib/pg.sh's own steps, with the cluster kept down in between.
                self.pg(
                    f'_pg_as "$PG_BINDIR/pg_ctl" -D "$PG_DIR/data" -m {mode} -w stop >/dev/null && '
                    f"sleep {down_seconds} && _pg_ctl_start"
                )
            else:
                self.pg(f"pg_restart {mode}")
            back = _now()
            return {
                "restart": f"pg_restart {mode}" + (f"，停机 {down_seconds} 秒" if down_seconds else ""),
                "restart_seconds": round(back - begin, 2),
                "healthz_200_after_restart_seconds": self.healthy_after(back),
            }

        return inject

    # --- checks -------------------------------------------------------------------------------------------------
    def check(self, phase: str) -> None:
        from django.db import connections

        from faults import checks

        books = self.books
        found: dict[str, Any] = {}
        problems, found["registrations"] = checks.registration_problems(books.registrations)
        more, found["disbursements"] = checks.disbursement_problems(
            self.state["bank_username"],
            self.state["approved_applications"],
            books.disbursements,
            books.disbursement_keys,
        )
        problems += more
        more, found["repayments"] = checks.repayment_problems(
            self.state["bank_username"], self.state["repayment_loans"], books.repayments, books.repayment_keys
        )
        problems += more
        more, found["ledger_and_audit"] = checks.ledger_and_audit_problems()
        problems += more
        connections.close_all()
        self.results["phases"][phase]["database"] = found
        self.results["phases"][phase]["problems"] = problems
        self.failures += [f"[{phase}] {p}" for p in problems]

    def replay_everything(self) -> dict[str, int]:
        """Send every acknowledged request once more, in parallel as the clients did: the same record must come
        back (the API says it replayed), and nothing new is made."""
        LOG.phase = "replay"
        same = Counter[str]()
        by_name = {b.username: b for b in self.browsers}

        def browser(username: str, acks: list[tuple[str, int]]) -> None:
            for key, case_id in acks:
                done = by_name[username].register(key)
                if done is not None and done[0] == case_id:
                    same["registrations"] += 1
                else:
                    self.failures.append(f"重放：登记申请 {key} 没有回到办件 {case_id}")

        def bank(items: list[tuple[int, str, int]], bodies: dict[str, dict[str, Any]], path: str) -> None:
            for _, key, record_id in items:
                response = self.bank.post(path, bodies[key], key)
                if (
                    response is not None
                    and response.json()["id"] == record_id
                    and response.headers.get("Idempotent-Replayed") == "true"
                ):
                    same[path.rsplit("/", 1)[1]] += 1
                else:
                    self.failures.append(f"重放：{path} {key} 没有重放出记录 {record_id}")

        jobs: list[tuple[Any, tuple[Any, ...]]] = [
            (browser, (name, list(r["acks"]))) for name, r in self.books.registrations.items()
        ]
        jobs.append((bank, (self.books.disbursements, self.books.disbursement_bodies, "/api/v1/loans/disbursements")))
        jobs.append((bank, (self.books.repayments, self.books.repayment_bodies, "/api/v1/loans/repayments")))
        threads = [threading.Thread(target=target, args=args) for target, args in jobs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return dict(same)

    def main(self) -> int:
        workers = len(self.workers())
        for browser in self.browsers:
            browser.login()
        phases = [
            ("kill", 45.0, self.kill_workers),
            ("fast", 22.0, self.restart_postgres("fast")),
            ("immediate", 22.0, self.restart_postgres("immediate")),
            ("outage", 26.0, self.restart_postgres("immediate", down_seconds=6)),
        ]
        for name, duration, inject in phases:
            print(f"== 故障演练：{name} 阶段（{duration:.0f} 秒）", file=sys.stderr, flush=True)
            summary = self.traffic(name, duration, inject)
            print(json.dumps(summary, ensure_ascii=False), file=sys.stderr, flush=True)
            self.wait_workers(workers)
            self.check(name)
            if name != "kill" and summary["workers_before"] != summary["workers_after"]:
                self.failures.append(f"[{name}] gunicorn 工作进程在数据库重启后变了（{summary}）")
        self.results["replay"] = self.replay_everything()
        self.check_final()
        self.results["interrupted_requests"] = LOG.interrupted
        self.results["replayed_after_error"] = LOG.replayed_after_error
        self.results["error_samples"] = LOG.samples
        self.results["unexpected"] = LOG.unexpected
        self.failures += LOG.unexpected
        bad = [label for counts in LOG.outcomes.values() for label in counts if "无说明" in label]
        self.failures += [f"出现没有说明的错误响应：{label}" for label in sorted(set(bad))]
        self.results["failures"] = self.failures
        print(self.summary(), file=sys.stderr, flush=True)
        return 1 if self.failures else 0

    def summary(self) -> str:
        phases = self.results["phases"]
        final = phases["replay"]["database"]
        registrations = final["registrations"]
        unavailable = sum(n for p in LOG.outcomes.values() for label, n in p.items() if label.startswith("503"))
        clear = sum(
            n for p in LOG.outcomes.values() for label, n in p.items() if label.startswith("503") and "中文" in label
        )
        kill = phases["kill"]
        restarts = "；".join(
            f"{phases[n]['restart']}：用时 {phases[n]['restart_seconds']} 秒，恢复后 /healthz "
            f"{phases[n]['healthz_200_after_restart_seconds']} 秒即 200，工作进程未重启"
            for n in ("fast", "immediate", "outage")
        )
        return (
            f"== 故障演练合计：已确认登记申请 {registrations['acknowledged']} 件、放款 "
            f"{final['disbursements']['acknowledged']} 笔、还款 {final['repayments']['acknowledged']} 笔，"
            f"数据库中恰好各有同样多的记录；在处理请求时 SIGKILL 工作进程 {kill['sigkilled_workers_mid_request']} 次，"
            f"客户端连接被中断 {LOG.interrupted} 次；"
            f"失败后才确认的登记 {registrations['acknowledged_after_a_failed_attempt']} 件，其中 "
            f"{registrations['failed_attempt_had_committed']} 件失败的那次其实已提交、重试时返回原办件；"
            f"资金请求同类情况 {LOG.replayed_after_error} 笔（Idempotent-Replayed）；"
            f"数据库不可用时的 503 共 {unavailable} 次，"
            f"其中带中文说明和 Retry-After 的 {clear} 次；{restarts}；"
            f"重放全部已确认请求：{json.dumps(self.results['replay'], ensure_ascii=False)}；"
            f"发现问题 {len(self.failures)} 处。"
        )

    def check_final(self) -> None:
        self.results["phases"]["replay"] = {"outcomes": dict(LOG.outcomes.get("replay", Counter()))}
        self.check("replay")


def main() -> int:
    import django

    state = json.loads(Path(sys.argv[1]).read_text())
    out = Path(sys.argv[2])
    django.setup()
    run = Run(state)
    try:
        code = run.main()
    finally:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(run.results, ensure_ascii=False, indent=1, default=str))
    for failure in run.failures:
        print(f"失败：{failure}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
