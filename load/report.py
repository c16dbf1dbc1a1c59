"""Read locust's CSV statistics, print the table, write it to bench/README.md and decide pass or fail.

Fails (exit status 1) if any request failed, or if the 95th percentile of any request whose name starts with
``case list`` or ``decision`` is above the limit (200 ms by default). Percentiles are locust's: response times are
bucketed (exact below 100 ms, to two significant figures above).

    .venv/bin/python load/report.py --csv PREFIX --users 50 --seconds 120 --people 1000000 --write bench/README.md
"""

import argparse
import csv
import datetime as dt
import math
import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from web import name_of

from bench.sections import write_section as write_section_between

MARKER, END_MARKER = "<!-- load -->", "<!-- /load -->"
GATED = ("case list", "decision")
NOTES = """
How the run is made: every account signs in through the real login pages (password, and a TOTP code for officers)
before the timed part, keeping to the login rate limit (30 a minute per address: on 429 the sign-in waits), and
visits its pages once so that no worker's first-request start-up is timed. The decision is the real form POST of the
case page (`approve_on_spot` of a submitted 个体工商户 application: state change, business and credit code, audit
events, inbox message and SMS), each case decided once. Requests carry `X-Forwarded-Proto: https` as the TLS proxy
would; no security setting is changed. "server" columns are gunicorn's own time per request (access log); the
client-side columns add the wait for a free worker. CPU figures come from `/proc` (load/cpu.py): when other jobs
share the machine, the percentiles measure the machine as much as the application.
"""


@dataclass
class Row:
    name: str
    method: str
    count: int
    failures: int
    p50: float
    p95: float
    p99: float
    mean: float
    rps: float
    server_p50: float | None = None
    server_p95: float | None = None

    @property
    def gated(self) -> bool:
        return self.name.startswith(GATED)


def _number(value: str) -> float:
    return float(value) if value not in ("", "N/A") else 0.0


def read_stats(prefix: str) -> tuple[list[Row], Row]:
    rows, total = [], None
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            row = Row(
                name=record["Name"],
                method=record["Type"],
                count=int(record["Request Count"]),
                failures=int(record["Failure Count"]),
                p50=_number(record["50%"]),
                p95=_number(record["95%"]),
                p99=_number(record["99%"]),
                mean=_number(record["Average Response Time"]),
                rps=_number(record["Requests/s"]),
            )
            if record["Name"] == "Aggregated":
                total = row
            else:
                rows.append(row)
    if total is None:
        raise SystemExit(f"{prefix}_stats.csv has no Aggregated row")
    return rows, total


def read_failures(prefix: str) -> list[str]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return [f"{r['Occurrences']}× {r['Method']} {r['Name']}: {r['Error']}" for r in csv.DictReader(handle)]


def server_times(path: Path) -> dict[str, list[float]]:
    """Milliseconds the app server spent on each scenario request, from the gunicorn access log written with
    ``--access-logformat '%(m)s %(U)s ?%(q)s %(s)s %(M)s'`` (method, path, query, status, milliseconds)."""
    times: dict[str, list[float]] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split(" ")
        if len(parts) != 5 or not parts[4].isdigit():
            continue
        method, url, query, _status, millis = parts
        name = name_of(method, url + (query if query != "?" else ""))
        if name:
            times.setdefault(name, []).append(float(millis))
    return times


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def machine() -> str:
    model = platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{model}, {os.cpu_count()} CPUs, {memory:.0f} GiB RAM, {platform.system()} {platform.release()}"


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} ms"


def table(rows: list[Row], total: Row, limit: float) -> list[str]:
    lines = [
        "| request | requests | failures | p50 | p95 | p99 | mean | req/s | server p50 | server p95 "
        "| gate (p95 ≤ limit) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in sorted(rows, key=lambda r: (not r.gated, r.name)):
        gate = ("✅" if row.p95 <= limit else "❌") if row.gated else "—"
        lines.append(
            f"| {row.method} {row.name} | {row.count:,} | {row.failures} | {row.p50:.0f} ms | {row.p95:.0f} ms "
            f"| {row.p99:.0f} ms | {row.mean:.0f} ms | {row.rps:.1f} | {_ms(row.server_p50)} "
            f"| {_ms(row.server_p95)} | {gate} |"
        )
    lines.append(
        f"| **all requests** | {total.count:,} | {total.failures} | {total.p50:.0f} ms | {total.p95:.0f} ms "
        f"| {total.p99:.0f} ms | {total.mean:.0f} ms | {total.rps:.1f} | | | — |"
    )
    return lines


def write_section(path: Path, text: str) -> None:
    write_section_between(path, MARKER, END_MARKER, text)


def cpu_line(spec: str, requests: int) -> str:
    """Where the CPU went during the timed run, from load/cpu.py's figures."""
    cpu = {key: float(value) for key, value in (item.split("=") for item in spec.split(","))}
    ours = cpu["server"] + cpu["postgres"] + cpu["locust"]
    capacity = cpu["wall"] * (os.cpu_count() or 1)
    per_request = cpu["server"] / max(requests, 1) * 1000
    return (
        f"CPU during the timed run ({cpu['wall']:.0f} s × {os.cpu_count()} CPUs = {capacity:.0f} CPU-seconds): "
        f"the machine was busy {cpu['machine'] / capacity:.0%} of it; the app server used {cpu['server']:.0f} s "
        f"({per_request:.0f} ms per request), PostgreSQL {cpu['postgres']:.0f} s, locust {cpu['locust']:.0f} s, "
        f"and other jobs on the machine about {max(cpu['machine'] - ours, 0):.0f} s."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", required=True, help="locust's --csv prefix")
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--seconds", type=int, required=True)
    parser.add_argument("--people", type=int, required=True)
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--wait", default="1,3")
    parser.add_argument("--conn-max-age", default="", help="CHUANGYE_DB_CONN_MAX_AGE of the server")
    parser.add_argument("--limit-ms", type=float, default=200.0)
    parser.add_argument("--versions", default="")
    parser.add_argument("--setup", default="", help="one line on what the database held")
    parser.add_argument(
        "--cpu",
        help="CPU seconds during the timed run: server=S,postgres=P,locust=L,machine=M,wall=W (machine = every "
        "process on the machine, wall = elapsed seconds)",
    )
    parser.add_argument("--access-log", help="gunicorn access log (server-side milliseconds per request)")
    parser.add_argument("--write", help="replace the load section of this Markdown file")
    args = parser.parse_args()

    rows, total = read_stats(args.csv)
    failures = read_failures(args.csv)
    if args.access_log:
        times = server_times(Path(args.access_log))
        for row in rows:
            if times.get(row.name):
                row.server_p50 = percentile(times[row.name], 50)
                row.server_p95 = percentile(times[row.name], 95)
    load_average = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    slow = [r for r in rows if r.gated and r.p95 > args.limit_ms]
    missing = [prefix for prefix in GATED if not any(r.name.startswith(prefix) and r.count for r in rows)]
    passed = not failures and total.failures == 0 and not slow and not missing
    low, high = args.wait.split(",")
    today = dt.datetime.now(dt.UTC).date().isoformat()
    if passed:
        verdict = (
            f"**Pass**: no request failed, and the 95th percentile of every case-list and decision request is within "
            f"{args.limit_ms:.0f} ms at {args.users} concurrent users."
        )
    else:
        reasons = [f"{r.name} p95 {r.p95:.0f} ms" for r in slow]
        reasons += [f"{total.failures} failed requests"] if total.failures or failures else []
        reasons += [f"no '{m}' request was made" for m in missing]
        verdict = f"**Fail**: {'; '.join(reasons)}."
    gated = [r for r in rows if r.gated]
    conn = f", `CHUANGYE_DB_CONN_MAX_AGE={args.conn_max_age}`" if args.conn_max_age else ""
    interpretation = (
        f"The 1-minute load average at the end of the run was {load_average} on {os.cpu_count()} CPUs "
        "(other jobs share this machine)."
    )
    server = [r.server_p95 for r in gated if r.server_p95 is not None]
    if server:
        interpretation += (
            f" Server-side p95 (gunicorn's own request time) of the gated requests: {min(server):.0f}–"
            f"{max(server):.0f} ms; seen by the clients: {min(r.p95 for r in gated):.0f}–"
            f"{max(r.p95 for r in gated):.0f} ms (which adds the wait for a free worker)."
        )
    if args.cpu:
        interpretation += " " + cpu_line(args.cpu, total.count)
    lines = [
        "## Load: mixed citizen and officer traffic (locust)",
        "",
        f"Measured {today} on {machine()}; the app server (gunicorn, {args.workers} sync workers, production mode"
        f"{conn}), "
        f"PostgreSQL and locust all on this one machine, talking over loopback. {args.versions}  ",
        f"Database: {args.people:,} registrants in all (the demo data of `seed_demo` and the synthetic population of "
        f"`generate_population`). {args.setup}  ",
        f"{args.users} concurrent users (citizens : officers = 3 : 2, all signed in before the run), each waiting "
        f"{low}–{high} s between requests, for {args.seconds} s after a ramp of 10 users/s. Gate: p95 ≤ "
        f"{args.limit_ms:.0f} ms for `case list` and `decision` requests, and no failed request.",
        "",
        *table(rows, total, args.limit_ms),
        "",
        verdict,
        interpretation,
    ]
    if failures:
        lines += ["", "Failures:", "", *[f"- {f}" for f in failures[:20]]]
    lines += ["", NOTES.strip()]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section(Path(args.write), text)
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
