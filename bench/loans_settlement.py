"""Benchmark: quarterly interest-subsidy settlement for N active guaranteed loans (default 100,000).

Usage (PostgreSQL, a throwaway cluster; the script migrates the empty database itself):

    bash scripts/test-postgres.sh .venv/bin/python bench/loans_settlement.py --loans 100000 --write bench/README.md

Without the wrapper it runs against whatever ``CHUANGYE_DATABASE_URL`` names (SQLite by default). Not a timed test.

Setup (not timed): 4 banks in two districts, N loans contracted 2023-01 … 2025-12 (both subsidy regimes), each
with its exact schedule; every instalment due up to 2026-03-31 paid, 2 % of them five days late (no subsidy) and
1 % of loans extended (no subsidy in extension).
Timed, the settlement of 2026 Q1: every bank files its claim (one line per period, amounts by the policy engine's
batch evaluator), the city bureau approves every claim, prepares one payment batch, a supervisor pays it. Each run
is rolled back, so the median of ``--runs`` runs starts from the same state.
Exact: every line is recomputed independently here in exact fractions from the rules of DOMAIN §4 and must equal
the stored amount to the 分; lines, claims, batch and ledger must reconcile (``subsidy_problems``).
Reference measured in the same run: the per-loan evaluator (``decide``, with its full trace) on a sample,
extrapolated to N — what settlement would cost without the batch evaluator.
"""

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from bench.sections import write_section as write_section_between  # noqa: E402
from chuangye.accounts.models import Organisation, Role, User  # noqa: E402
from chuangye.core.dates import add_months  # noqa: E402
from chuangye.loans.models import GuaranteeFund, Loan, ScheduleRow, SubsidyLine  # noqa: E402
from chuangye.loans.schedule import build_rows  # noqa: E402
from chuangye.loans.subsidy import (  # noqa: E402
    subsidy_batch_create,
    subsidy_batch_pay,
    subsidy_claim_file,
    subsidy_claim_review,
    subsidy_problems,
)
from chuangye.policies.decide import decide  # noqa: E402
from chuangye.policies.rates import lpr_series  # noqa: E402

YEAR, QUARTER = 2026, 1
QUARTER_START, QUARTER_END = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
REGIONS = ("510104", "510107")
MARKER, END_MARKER = "<!-- loans-settlement -->", "<!-- /loans-settlement -->"


def _user(username: str, role: str, region: str, org: Organisation | None = None) -> User:
    user, _ = User.objects.get_or_create(
        username=username, defaults={"role": role, "region_code": region, "organisation": org, "real_name": username}
    )
    return user


def world() -> tuple[list[User], User, User]:
    """Banks with their staff, the city officer who approves and the supervisor who pays."""
    fund_org, _ = Organisation.objects.get_or_create(
        credit_code="91510100BENCHFUND0",
        defaults={"name": "基准测试担保基金", "kind": "guarantor", "region_code": "510100"},
    )
    GuaranteeFund.objects.get_or_create(
        organisation=fund_org, defaults={"name": "基准测试基金", "region_code": "510100"}
    )
    banks = []
    for i in range(4):
        org, _ = Organisation.objects.get_or_create(
            credit_code=f"91510100BENCHBNK{i}",
            defaults={"name": f"基准测试银行{i + 1}", "kind": "bank", "region_code": REGIONS[i % 2]},
        )
        banks.append(_user(f"bench_bank_{i}", Role.PARTNER, org.region_code, org))
    return banks, _user("bench_officer", Role.OFFICER, "510100"), _user("bench_supervisor", Role.SUPERVISOR, "510100")


def populate(n: int, banks: list[User], seed: int = 7) -> None:
    """N loans with exact schedules, paid up to the quarter's end; bulk inserts in chunks."""
    if Loan.objects.filter(number__startswith="BENCH").count() >= n:
        return
    rng = random.Random(seed)
    fund = GuaranteeFund.objects.get(organisation__credit_code="91510100BENCHFUND0")
    span = (dt.date(2025, 12, 20) - dt.date(2023, 1, 10)).days
    series = lpr_series("1y")
    for start in range(0, n, 5000):
        loans, schedules = [], []
        for i in range(start, min(start + 5000, n)):
            bank = banks[i % len(banks)].organisation
            contract = dt.date(2023, 1, 10) + dt.timedelta(days=rng.randrange(span))
            months = rng.choice((12, 24, 36)) if contract.year >= 2025 else 36
            entry = series.at(contract)
            lpr = Decimal(entry.value.numerator) / entry.value.denominator
            spread = Decimal(rng.choice((0, 50, 100, 150))) / 10000
            extended = rng.random() < 0.01
            maturity = add_months(contract, months)
            final = add_months(maturity, 6) if extended else maturity
            loan = Loan(
                number=f"BENCH{i:07d}",
                kind="individual",
                borrower_name=f"借款人{i}",
                region_code=bank.region_code,
                bank=bank,
                fund=fund,
                contract_number=f"B-{i}",
                contract_date=contract,
                disbursed_on=contract,
                principal=Decimal(rng.choice((50_000, 100_000, 200_000, 300_000))),
                term_months=months,
                original_maturity=maturity,
                maturity=final,
                extended_months=6 if extended else 0,
                lpr_rate=lpr,
                lpr_source="LPR",
                spread=spread,
                annual_rate=lpr + spread,
                method="interest_only",
                basis=360,
                frequency="quarterly",
            )
            loans.append(loan)
            schedules.append(
                build_rows(
                    principal=loan.principal,
                    annual_rate=loan.annual_rate,
                    start=contract,
                    maturity=final,
                    method="interest_only",
                    basis=360,
                    frequency="quarterly",
                )
            )
        Loan.objects.bulk_create(loans)
        rows = []
        for loan, schedule in zip(loans, schedules, strict=True):
            for r in schedule:
                if r.due > dt.date(2026, 6, 30):
                    continue  # instalments after the next one play no part in this quarter's settlement
                paid = r.due <= QUARTER_END
                late = paid and rng.random() < 0.02
                rows.append(
                    ScheduleRow(
                        loan=loan,
                        number=r.number,
                        period_start=r.period_start,
                        due=r.due,
                        days=r.days,
                        opening_balance=r.balance_after + r.principal,
                        principal=r.principal,
                        interest=r.interest,
                        in_extension=r.due > loan.original_maturity,
                        interest_accrued=paid,
                        paid_interest=r.interest if paid else 0,
                        paid_principal=r.principal if paid else 0,
                        interest_settled_on=(r.due + dt.timedelta(days=5 if late else 0)) if paid else None,
                        principal_settled_on=r.due if paid and r.principal else None,
                    )
                )
        ScheduleRow.objects.bulk_create(rows, batch_size=5000)


def settle(banks: list[User], officer: User, supervisor: User) -> dict[str, float]:
    """The timed settlement; returns the seconds each phase took."""
    phases = {}
    started = time.perf_counter()
    claims = [c for bank in banks for c in subsidy_claim_file(actor=bank, year=YEAR, quarter=QUARTER)]
    phases["file"] = time.perf_counter() - started
    mark = time.perf_counter()
    for claim in claims:
        subsidy_claim_review(actor=officer, claim=claim, approve=True)
    batch = subsidy_batch_create(actor=officer, region_code="510100", claims=claims)
    subsidy_batch_pay(actor=supervisor, batch=batch)
    phases["approve_and_pay"] = time.perf_counter() - mark
    phases["total"] = time.perf_counter() - started
    return phases


def _half_up(value: Fraction) -> Decimal:
    fen = (value * 100 + Fraction(1, 2)).__floor__()
    return Decimal(fen) / 100


def expected(line: SubsidyLine, loan: Loan, lpr_1y: list[tuple[dt.date, Fraction]]) -> Decimal:
    """DOMAIN §4, written out independently: half the actual rate from 2023-10-01 (principal up to 300,000),
    else the rate above LPR − 1.50 % (principal up to 200,000); nothing late or in extension; at most paid."""
    row = line.row
    if row.interest_settled_on > row.due or row.in_extension:
        return Decimal("0.00")
    rate, principal = Fraction(loan.annual_rate), Fraction(row.opening_balance)
    if loan.contract_date >= dt.date(2023, 10, 1):
        amount = min(principal, Fraction(300_000)) * rate / 2 * row.days / 360
    else:
        lpr = [v for start, v in lpr_1y if start <= loan.contract_date][-1]
        amount = (
            min(principal, Fraction(200_000)) * max(rate - (lpr - Fraction(15, 1000)), Fraction(0)) * row.days / 360
        )
    return min(_half_up(amount), row.paid_interest)


def verify() -> tuple[int, Decimal]:
    lpr_1y = [(e.start, e.value) for e in lpr_series("1y").entries]
    lines = SubsidyLine.objects.select_related("row", "loan").filter(claim__year=YEAR, claim__quarter=QUARTER)
    count, total = 0, Decimal(0)
    for line in lines.iterator(chunk_size=10_000):
        want = expected(line, line.loan, lpr_1y)
        if line.amount != want:
            raise SystemExit(f"line {line.pk} of {line.loan.number}: stored {line.amount}, expected {want}")
        count, total = count + 1, total + line.amount
    problems = subsidy_problems()
    if problems:
        raise SystemExit("reconciliation failed: " + "; ".join(problems[:5]))
    return count, total


def reference_per_loan(sample: int = 2000) -> float:
    """Seconds per period for the per-person evaluator with its trace (what a loop of ``decide`` would cost)."""
    rows = list(
        ScheduleRow.objects.select_related("loan").filter(
            loan__number__startswith="BENCH",
            interest_settled_on__gte=QUARTER_START,
            interest_settled_on__lte=QUARTER_END,
        )[:sample]
    )
    started = time.perf_counter()
    for row in rows:
        facts = {
            "contract_date": row.loan.contract_date.isoformat(),
            "principal": str(row.opening_balance),
            "annual_rate": format(row.loan.annual_rate.normalize(), "f"),
            "days": row.days,
            "extended": row.in_extension,
            "overdue": row.interest_settled_on > row.due,
        }
        decide("loan.interest_subsidy", facts, on=QUARTER_END, region_code=row.loan.region_code)
    return (time.perf_counter() - started) / len(rows)


def write(path: Path, text: str) -> None:
    write_section_between(path, MARKER, END_MARKER, text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loans", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", help="replace the loans section of this Markdown file with the results")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    banks, officer, supervisor = world()
    started = time.perf_counter()
    populate(args.loans, banks)
    setup = time.perf_counter() - started
    runs, checked = [], (0, Decimal(0))
    for _ in range(args.runs):
        with transaction.atomic():
            runs.append(settle(banks, officer, supervisor))
            checked = verify()
            transaction.set_rollback(True)
    per_period = reference_per_loan()
    median = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    lines, total = checked
    claims = len(banks) * len(REGIONS)
    version = getattr(connection, "pg_version", 0)
    database = f"PostgreSQL {version // 10000}.{version % 100}" if connection.vendor == "postgresql" else "SQLite"
    command = f"bash scripts/test-postgres.sh .venv/bin/python bench/loans_settlement.py --loans {args.loans}"
    today = dt.datetime.now(dt.UTC).date().isoformat()
    text = "\n".join(
        [
            "## Loans: quarterly interest-subsidy settlement",
            "",
            f"Measured {today} on {platform.machine()}, {os.cpu_count()} CPUs, {database}, "
            f"Python {platform.python_version()}, Django {django.get_version()}. Median of {args.runs} runs; "
            f"command: `{command}`.",
            "",
            "| measurement | time | target |",
            "|---|---|---|",
            f"| settlement of 2026 Q1, {args.loans:,} active loans, {lines:,} interest periods, {claims} claims "
            f"| {median['total']:.1f} s | < 30 s |",
            f"| — banks file claims (read periods, batch evaluator, insert lines) | {median['file']:.1f} s | |",
            f"| — bureau approves claims, prepares and pays the batch (ledger) | {median['approve_and_pay']:.1f} s | |",
            f"| reference: per-period `decide` with trace, extrapolated to {lines:,} periods "
            f"| {per_period * lines:.1f} s | ratio ×{per_period * lines / median['total']:.1f} |",
            "",
            f"Exact: all {lines:,} lines equal an independent exact-fraction computation of DOMAIN §4 to the 分; "
            f"subsidy total {total:,.2f} 元; lines, claims, batch and ledger reconcile. Setup (not timed) "
            f"{setup:.0f} s.",
        ]
    )
    print(text)
    if args.write:
        write(Path(args.write), text)


if __name__ == "__main__":
    main()
