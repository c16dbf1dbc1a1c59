"""Print a canonical digest of what the scan and the settlement wrote, comparable between two databases that
started as copies: rows without their ids, sequence numbers or timestamps, sorted; plus duplicate checks."""

import hashlib
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db.models import Count  # noqa: E402

from chuangye.cases.models import Case  # noqa: E402
from chuangye.inbox.models import Message  # noqa: E402
from chuangye.loans.models import SubsidyClaim, SubsidyLine  # noqa: E402
from chuangye.policies.models import PolicyMatch, ProactiveGrant  # noqa: E402


def _rows(queryset, *fields):  # type: ignore[no-untyped-def]
    return sorted([[str(v) for v in row] for row in queryset.values_list(*fields)])


def main() -> None:
    tables = {
        "policy_matches": _rows(PolicyMatch.objects, "person_id", "policy_code", "region_code", "eligible", "amount"),
        "grants": _rows(ProactiveGrant.objects, "person_id", "policy_code"),
        "grant_cases": _rows(Case.objects.filter(case_type="policy.grant"), "region_code", "state"),
        "messages": _rows(Message.objects, "recipient_id", "title", "body", "dedupe_key"),
        "claims": _rows(
            SubsidyClaim.objects, "bank_id", "region_code", "year", "quarter", "total", "interest_total", "line_count"
        ),
        "claim_lines": _rows(
            SubsidyLine.objects, "claim__bank_id", "claim__region_code", "row_id", "amount", "eligible", "reason"
        ),
    }
    duplicates = {
        "policy_matches": PolicyMatch.objects.values("person_id", "policy_code")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count(),
        "grants": ProactiveGrant.objects.values("person_id", "policy_code")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count(),
        "claim_lines": SubsidyLine.objects.values("row_id").annotate(n=Count("pk")).filter(n__gt=1).count(),
        "claims": SubsidyClaim.objects.values("bank_id", "region_code", "year", "quarter")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count(),
    }
    print(
        json.dumps(
            {
                "counts": {name: len(rows) for name, rows in tables.items()},
                "digests": {
                    name: hashlib.sha256(json.dumps(rows).encode()).hexdigest() for name, rows in tables.items()
                },
                "duplicates": duplicates,
            },
            sort_keys=True,
        )
    )


if __name__ == "__main__":
    main()
