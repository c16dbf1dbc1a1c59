"""A bank's quarterly subsidy claims as a background job split by region: the same claims, lines and totals as the
filing in one go, each region filed once however often its part runs."""

import datetime as dt
from decimal import Decimal

import pytest

from chuangye.core.errors import ConflictError, DomainError
from chuangye.jobs.actions import part_run
from chuangye.jobs.models import JobPart
from chuangye.loans.models import SubsidyClaim, SubsidyLine
from chuangye.loans.subsidy import subsidy_claim_file, subsidy_claims_start
from chuangye.loans.tests.conftest import at
from chuangye.loans.tests.test_subsidy import loans, pay  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
D = dt.date


def _claims():
    claims = sorted(SubsidyClaim.objects.values_list("region_code", "year", "quarter", "total", "line_count"))
    lines = sorted(SubsidyLine.objects.values_list("claim__region_code", "row_id", "amount", "eligible", "reason"))
    return claims, lines


def test_the_split_filing_equals_the_filing_in_one_go(loans, huang_lei):  # noqa: F811 - the imported fixture
    li, zhao = loans
    zhao.region_code = "510107"  # a second region, so the job has two parts
    zhao.save(update_fields=["region_code"])
    pay(li, huang_lei, D(2025, 6, 20), "166.67")
    pay(zhao, huang_lei, D(2025, 6, 20), "97.22")
    with at(2025, 7, 5):
        job = subsidy_claims_start(actor=huang_lei, year=2025, quarter=2)
    job.refresh_from_db()
    assert (job.state, job.parts_total) == ("done", 2)
    assert job.result == {
        "claims": 2,
        "lines": 2,
        "amount_total": str(sum(c.total for c in SubsidyClaim.objects.all())),
    }
    split = _claims()
    assert [c[0] for c in split[0]] == ["510104", "510107"] and split[0][0][3] == Decimal("83.33")
    # A part delivered again files nothing; the quarter cannot be started again.
    part = JobPart.objects.filter(job=job).first()
    JobPart.objects.filter(pk=part.pk).update(state="queued")
    with at(2025, 7, 6):
        assert part_run(part.pk) == "done"
        assert _claims() == split
        with pytest.raises(ConflictError):
            subsidy_claims_start(actor=huang_lei, year=2025, quarter=2)
    SubsidyLine.objects.all().delete()
    SubsidyClaim.objects.all().delete()
    with at(2025, 7, 5):
        subsidy_claim_file(actor=huang_lei, year=2025, quarter=2)
    assert _claims() == split


def test_a_bank_with_nothing_to_claim_starts_no_job(loans, wu_ting):  # noqa: F811 - the imported fixture
    with at(2025, 7, 5), pytest.raises(DomainError) as refused:
        subsidy_claims_start(actor=wu_ting, year=2025, quarter=2)
    assert refused.value.code == "nothing_to_claim"
