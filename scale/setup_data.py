"""Data for the multi-process test (scripts/test-scale.sh): registrants in four counties, 成都's start-up subsidy
with 免申即享 in one county, four banks whose guaranteed loans (with exact schedules, paid up to the end of 2026 Q1)
lie in the four counties, and a citizen account for the session and upload checks.

Runs in development mode against the test's database (synthetic people are refused in production mode), with the
same encryption keys as the production-mode servers. Prints one line of counts.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from bench.loans_settlement import populate as populate_loans  # noqa: E402
from bench.loans_settlement import world  # noqa: E402
from chuangye.accounts.models import Role  # noqa: E402
from chuangye.accounts.testing import make_citizen, make_user  # noqa: E402
from chuangye.loans.models import Loan  # noqa: E402
from chuangye.policies.actions import parameter_override_create  # noqa: E402
from chuangye.registry.models import Person  # noqa: E402

COUNTIES = ["510104", "510105", "510106", "510107"]
PEOPLE = int(os.environ.get("SCALE_PEOPLE", "40000"))
LOANS = int(os.environ.get("SCALE_LOANS", "4000"))


def main() -> None:
    for code in COUNTIES:
        make_user(f"scale_officer_{code}", Role.OFFICER, region_code=code, real_name=f"经办{code}")
    supervisor = make_user("scale_supervisor", Role.SUPERVISOR, region_code="510100", real_name="主管")
    for name, region, value in (
        ("subsidy.startup_once.amount", "510100", "10000.00"),
        ("subsidy.startup_once.grant_without_application", "510106", "是"),
    ):
        parameter_override_create(
            actor=supervisor,
            name=name,
            region_code=region,
            value=value,
            effective_from="2026-01-01",
            document_number="规模测试（非真实文件）",
        )
    call_command("generate_population", "--people", str(PEOPLE), "--region", *COUNTIES, "--batch-size", "5000")
    banks, _, _ = world()
    populate_loans(LOANS, banks)
    # Spread every bank's loans over the four counties, so each bank's filing splits into four regional parts.
    # (Loan k belongs to bank k mod 4; its county is (k div 4) mod 4.)
    ids = list(Loan.objects.order_by("pk").values_list("pk", flat=True))
    for i, code in enumerate(COUNTIES):
        chosen = [pk for k, pk in enumerate(ids) if (k // len(COUNTIES)) % len(COUNTIES) == i]
        Loan.objects.filter(pk__in=chosen).update(region_code=code)
    make_citizen("scale_citizen", "规模测试", phone="13900001234", region_code="510104", birth="1999-05-01", sex="F")
    print(f"registrants {Person.objects.count()}, loans {Loan.objects.count()}, banks {len(banks)}")


if __name__ == "__main__":
    main()
