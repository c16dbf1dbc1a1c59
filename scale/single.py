"""The reference: the same work done the plain way, in this one process, without jobs or workers: one proactive
scan of everyone, then each bank files its 2026 Q1 subsidy claims in one call."""

import datetime as dt
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from chuangye.accounts.models import User  # noqa: E402
from chuangye.loans.subsidy import subsidy_claim_file  # noqa: E402
from chuangye.policies.scan import scan  # noqa: E402

YEAR, QUARTER = 2026, 1


def main() -> None:
    on = dt.date.fromisoformat(sys.argv[1])
    result = scan(on=on, notify_people=True)
    claims = 0
    for bank_user in User.objects.filter(username__startswith="bench_bank_").order_by("username"):
        claims += len(subsidy_claim_file(actor=bank_user, year=YEAR, quarter=QUARTER))
    print(f"single process: scanned {result.people}, changed {result.changed}, grants {result.grants}, claims {claims}")


if __name__ == "__main__":
    main()
