"""CPU seconds used during the timed run, for the load report: where the machine's time went.

cpu.py snapshot FILE SERVER_PID PG_PID   write the CPU seconds used so far by the app server's and PostgreSQL's
                                         process trees (exited descendants included), by the whole machine,
                                         and the time, to FILE
cpu.py spec BEFORE AFTER LOCUST_FILE     print server=…,postgres=…,locust=…,machine=…,wall=… between two snapshots
cpu.py run FILE -- CMD...                run CMD, write the CPU seconds it and its children used to FILE, exit
                                         with its status
"""

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _stats() -> dict[int, tuple[int, float]]:
    """pid -> (parent pid, CPU seconds of the process plus its exited, waited-for children)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        # After the command: state, ppid, ... utime (14th field overall), stime, cutime, cstime.
        ppid = int(fields[1])
        ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))
        found[int(entry.name)] = (ppid, ticks / TICK)
    return found


def tree_seconds(root: int, stats: dict[int, tuple[int, float]]) -> float:
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in stats.items():
        children.setdefault(ppid, []).append(pid)
    total, pending = 0.0, [root]
    while pending:
        pid = pending.pop()
        if pid in stats:
            total += stats[pid][1]
            pending.extend(children.get(pid, []))
    return total


def machine_seconds() -> float:
    # /proc/stat "cpu" line: user nice system idle iowait irq softirq steal ...; busy = all but idle and iowait.
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    return (sum(values) - values[3] - values[4]) / TICK


def main() -> None:
    args = sys.argv[1:]
    if len(args) == 4 and args[0] == "snapshot":
        stats = _stats()
        server, postgres = (tree_seconds(int(pid), stats) for pid in args[2:4])
        Path(args[1]).write_text(f"{server:.2f} {postgres:.2f} {machine_seconds():.2f} {time.time():.3f}\n")
    elif len(args) == 4 and args[0] == "spec":
        before, after = ([float(v) for v in Path(name).read_text().split()] for name in args[1:3])
        locust = Path(args[3]).read_text().strip() if Path(args[3]).exists() else "0"
        server, postgres, machine, wall = (b - a for a, b in zip(before, after, strict=True))
        print(f"server={server:.2f},postgres={postgres:.2f},locust={locust},machine={machine:.2f},wall={wall:.2f}")
    elif len(args) >= 4 and args[0] == "run" and args[2] == "--":
        status = subprocess.call(args[3:])  # noqa: S603 - the command is the caller's own
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        Path(args[1]).write_text(f"{usage.ru_utime + usage.ru_stime:.2f}\n")
        sys.exit(status)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
