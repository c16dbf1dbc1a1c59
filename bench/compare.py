"""Our rules engine against OpenFisca-Core: same seven rules, same synthetic population, same process.

Measures (medians of several runs, ratios quoted against OpenFisca measured in the same run):
batch decisions for 100k and 1M people, setup included (building the frame / the simulation from the arrays,
compiling, evaluating all seven policies); one person with the full trace; peak memory of each batch run (in a
child process, sampled RSS above the baseline). Checks that both engines agree on every eligibility and amount
before timing anything. Writes the table to bench/README.md with ``--write``.
"""

import argparse
import datetime as dt
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from fractions import Fraction
from importlib import metadata
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

import numpy as np  # noqa: E402
import polars as pl  # noqa: E402
import psutil  # noqa: E402
from openfisca_core.simulation_builder import SimulationBuilder  # noqa: E402

from bench import openfisca_model as ofm  # noqa: E402
from bench.population import DATE_FACTS, ON, person_facts, policies_frame, synthetic  # noqa: E402
from chuangye.policies.batch import evaluate_policies  # noqa: E402
from chuangye.policies.catalogue import CATALOGUE  # noqa: E402
from chuangye.policies.evaluate import evaluate, evaluate_many  # noqa: E402
from chuangye.policies.facts import parse_facts  # noqa: E402
from chuangye.policies.params import Snapshot  # noqa: E402
from chuangye.policies.resolver import national_snapshot  # noqa: E402

SEVEN = [CATALOGUE[code] for code in ofm.OUTPUTS]
REGIONAL_FROM = dt.date(2024, 1, 1)
# The benchmark region's own figures (no national ones exist), applied identically in both engines.
REGIONAL = {
    "subsidy.startup_once.amount": Fraction(5000),
    "subsidy.training.amount.GYB": Fraction(100),
    "subsidy.training.amount.SYB": Fraction(1000),
    "subsidy.training.amount.IYB": Fraction(1000),
    "subsidy.training.amount.EYB": Fraction(1500),
    "subsidy.training.amount.NET": Fraction(1200),
    "subsidy.training.amount.SIM": Fraction(800),
    "subsidy.training.amount.CAMP": Fraction(600),
}
PERIOD = ON.isoformat()


def our_snapshot() -> Snapshot:
    snapshot = national_snapshot(ON)
    for name, value in REGIONAL.items():
        snapshot = snapshot.with_value(name, value, start=REGIONAL_FROM, document="基准测试假定的地方标准")
    return snapshot


def openfisca_system() -> Any:
    system = ofm.build_system()
    ofm.attach_parameters(system, REGIONAL, REGIONAL_FROM)
    return system


def run_ours(data: dict[str, np.ndarray]) -> pl.DataFrame:
    """Setup (frame from the arrays, parameter snapshot, compiling) and evaluation of the seven policies."""
    return evaluate_policies(SEVEN, policies_frame(data), our_snapshot())


def run_openfisca(system: Any, data: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Setup (a simulation for n people, every input set) and calculation of the thirteen output variables."""
    n = len(data["birth_date"])
    simulation = SimulationBuilder().build_default_simulation(system, count=n)
    for name, values in data.items():
        array = values.astype("datetime64[D]") if name in DATE_FACTS else values
        simulation.set_input(name, PERIOD, array)
    names = [v for pair in ofm.OUTPUTS.values() for v in pair if v]
    return {name: simulation.calculate(name, PERIOD) for name in names}


def disagreements(ours: pl.DataFrame, theirs: dict[str, np.ndarray]) -> dict[str, int]:
    """Rows where the engines differ, per policy (eligibility, or the amount of the eligible in 分)."""
    counts = {}
    for code, (eligible_var, amount_var) in ofm.OUTPUTS.items():
        eligible = ours.get_column(f"{code}.eligible").to_numpy()
        wrong = eligible != theirs[eligible_var]
        if amount_var:
            amount = ours.get_column(f"{code}.amount_fen").fill_null(0).to_numpy()
            wrong |= eligible & (amount != theirs[amount_var])
        counts[code] = int(wrong.sum())
    return counts


def paired_medians(fns: list[Callable[[], Any]], runs: int) -> list[float]:
    """Median time of each function, the runs interleaved (a, b, a, b, ...) so that load from other jobs on a
    shared machine falls on both engines alike."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for fn, record in zip(fns, times, strict=True):
            gc.collect()
            start = time.perf_counter()
            fn()
            record.append(time.perf_counter() - start)
    return [statistics.median(record) for record in times]


def person_situation(data: dict[str, np.ndarray], i: int) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in ofm.INPUTS:
        raw = data[name][i].item()
        values[name] = (dt.date(1970, 1, 1) + dt.timedelta(days=raw)).isoformat() if name in DATE_FACTS else raw
    return {"persons": {"p": {name: {PERIOD: value} for name, value in values.items()}}}


def single_person(system: Any, data: dict[str, np.ndarray], people: int, runs: int) -> dict[str, tuple[float, float]]:
    """Median time per person, ours against OpenFisca's single-situation calculation.

    "seven": ours checks the JSON facts and decides all seven policies with the full trace (criteria that the
    policies share are evaluated once, as OpenFisca computes a shared variable once); OpenFisca builds a
    one-person simulation from a situation dict and calculates the thirteen outputs.
    "one": the ``decide`` call — one policy with its trace against OpenFisca calculating that policy's outputs
    (the median over the seven policies of each engine's time).
    """
    snapshot = our_snapshot()
    facts = [person_facts(data, i) for i in range(people)]
    situations = [person_situation(data, i) for i in range(people)]

    def ours(policies: list[Any]) -> Callable[[], None]:
        def run() -> None:
            for raw in facts:
                for outcome in evaluate_many(policies, parse_facts(raw), snapshot):
                    outcome.as_json()

        return run

    def openfisca(names: list[str]) -> Callable[[], None]:
        def run() -> None:
            for situation in situations:
                simulation = SimulationBuilder().build_from_entities(system, situation)
                for name in names:
                    simulation.calculate(name, PERIOD)

        return run

    every = [v for pair in ofm.OUTPUTS.values() for v in pair if v]
    ours(SEVEN)()  # warm both (closure compilation, OpenFisca caches)
    openfisca(every)()
    mine, theirs = paired_medians([ours(SEVEN), openfisca(every)], runs)
    seven = (mine / people, theirs / people)
    one_ours, one_theirs = [], []
    for policy in SEVEN:
        names = [v for v in ofm.OUTPUTS[policy.code] if v]
        mine, theirs = paired_medians([ours([policy]), openfisca(names)], runs)
        one_ours.append(mine / people)
        one_theirs.append(theirs / people)
    return {"seven": seven, "one": (statistics.median(one_ours), statistics.median(one_theirs))}


def check_single_people(system: Any, data: dict[str, np.ndarray], people: int) -> int:
    """Per-person decisions with trace agree with OpenFisca for the first ``people`` people."""
    snapshot = our_snapshot()
    wrong = 0
    for i in range(people):
        facts = parse_facts(person_facts(data, i))
        simulation = SimulationBuilder().build_from_entities(system, person_situation(data, i))
        for policy in SEVEN:
            outcome = evaluate(policy, facts, snapshot)
            eligible_var, amount_var = ofm.OUTPUTS[policy.code]
            theirs = bool(simulation.calculate(eligible_var, PERIOD)[0])
            amount = int(simulation.calculate(amount_var, PERIOD)[0]) if amount_var else None
            mine = None if outcome.amount is None else int(outcome.amount * 100)
            wrong += theirs != outcome.eligible or (theirs and amount_var is not None and mine != amount)
    return wrong


def peak_memory_child(engine: str, n: int) -> float:
    """Run in a child process: peak RSS (MiB) above the baseline while one batch run executes."""
    result = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, __file__, "--memory", engine, str(n)], capture_output=True, text=True, check=True
    )
    return float(json.loads(result.stdout.strip().splitlines()[-1])["peak_mib"])


def measure_memory(engine: str, n: int) -> None:
    system = openfisca_system() if engine == "openfisca" else None
    warm = synthetic(1000, seed=1)  # one-time costs (thread pools, calendar tables) are not the run's memory
    run_ours(warm) if engine == "ours" else run_openfisca(system, warm)
    data = synthetic(n)
    process = psutil.Process()
    gc.collect()
    baseline = process.memory_info().rss
    peak = baseline
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, process.memory_info().rss)
            time.sleep(0.002)

    sampler = threading.Thread(target=sample)
    sampler.start()
    result = run_ours(data) if engine == "ours" else run_openfisca(system, data)
    done.set()
    sampler.join()
    peak = max(peak, process.memory_info().rss)
    del result
    print(json.dumps({"peak_mib": round((peak - baseline) / 2**20, 1)}))


def machine() -> str:
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = psutil.virtual_memory().total / 2**30
    return f"{model}, {os.cpu_count()} CPUs, {memory:.0f} GiB RAM, {platform.system()} {platform.release()}"


def versions() -> str:
    names = ["polars", "numpy", "openfisca-core", "Django"]
    return ", ".join([f"Python {platform.python_version()}"] + [f"{n} {metadata.version(n)}" for n in names])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", help="write the results table to this Markdown file")
    parser.add_argument("--memory", nargs=2, metavar=("ENGINE", "N"), help=argparse.SUPPRESS)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    if args.memory:
        measure_memory(args.memory[0], int(args.memory[1]))
        return

    from bench.report import write_report

    system = openfisca_system()
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        data = synthetic(n)
        mismatches = disagreements(run_ours(data), run_openfisca(system, data))
        print(f"{n:>9,} people: disagreements per policy {mismatches}", flush=True)
        if any(mismatches.values()):
            raise SystemExit("the engines disagree; no timings are reported")
        ours, theirs = paired_medians(
            [lambda data=data: run_ours(data), lambda data=data: run_openfisca(system, data)], args.runs
        )
        memory = (peak_memory_child("ours", n), peak_memory_child("openfisca", n))
        rows.append({"n": n, "ours": ours, "openfisca": theirs, "memory": memory})
        print(f"{n:>9,} people: ours {ours:.3f} s, OpenFisca {theirs:.3f} s, ×{theirs / ours:.1f}", flush=True)

    data = synthetic(1000, seed=7)
    wrong = check_single_people(system, data, 200)
    if wrong:
        raise SystemExit(f"single-person decisions disagree in {wrong} cases")
    single = single_person(system, data, people=100, runs=args.runs)
    for key, (mine, theirs) in single.items():
        print(f"one person, {key}: ours {mine * 1e6:.0f} µs, OpenFisca {theirs * 1e6:.0f} µs", flush=True)
    if args.write:
        write_report(Path(args.write), rows, single, machine(), versions(), runs=args.runs)


if __name__ == "__main__":
    main()
