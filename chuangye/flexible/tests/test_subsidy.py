"""The social-insurance subsidy: apply once, periodic claims with proof, ≤ 2/3 of what was paid, months counted
against the caps and the retirement rule, payment batches, and the same month never paid twice."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client

from chuangye.accounts.testing import make_citizen, sign_in
from chuangye.cases.models import Case
from chuangye.core.errors import ConflictError
from chuangye.flexible.actions import claim_decide
from chuangye.flexible.models import PaymentBatch, SubsidyClaim, SubsidyEnrolment, SubsidyMonth
from chuangye.loans.testing import certify
from chuangye.registry.models import Employment

pytestmark = pytest.mark.django_db


def pdf(name="缴费凭证.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 social insurance receipt", content_type="application/pdf")


def flexible_worker(user, group, since=dt.date(2024, 7, 1), graduation=None):
    person = user.person
    person.employment = Employment.FLEXIBLE
    person.graduation_date = graduation
    person.save()
    certify(person, group, since=since)
    return person


def enrol(citizen_client, officer_client, contribution="1000.00"):
    citizen_client.post("/flexible/me/subsidy/", {"op": "enrol", "declared_contribution": contribution, "proof": pdf()})
    case = Case.objects.filter(case_type="flexible.si_subsidy").latest("pk")
    officer_client.post(f"/workbench/cases/{case.pk}/", {"action": "approve"})
    case.refresh_from_db()
    return case


def claim(client, first, last, contribution):
    return client.post(
        "/flexible/me/subsidy/",
        {"op": "claim", "first_month": first, "last_month": last, "contribution": contribution, "proof": pdf()},
    )


def test_a_graduate_applies_once_claims_and_is_paid_in_a_batch(monday, li_xiaoyu, wang_fang, yang_fan):
    flexible_worker(li_xiaoyu, "graduate", graduation=dt.date(2026, 6, 30))
    citizen, officer, city = sign_in(Client(), li_xiaoyu), sign_in(Client(), wang_fang), sign_in(Client(), yang_fan)
    case = enrol(citizen, officer)
    assert case.state == "approved"
    enrolment = SubsidyEnrolment.objects.get()
    assert enrolment.approved_on == dt.date(2026, 11, 2)
    # Applying a second time is refused: apply once, then claim.
    response = citizen.post("/flexible/me/subsidy/", {"op": "enrol", "declared_contribution": "900", "proof": pdf()})
    assert Case.objects.filter(case_type="flexible.si_subsidy").count() == 1
    assert "无需重复申请" in citizen.get(response["Location"]).content.decode()

    # A quarter's claim: 2,400.00 paid over three months, 2/3 of each month's 800.00 is 533.33.
    assert claim(citizen, "2026-08", "2026-10", "2400.00").status_code == 302
    pending = SubsidyClaim.objects.get()
    officer.post("/flexible/workbench/subsidy/", {"op": "approve", "claim": pending.pk})
    pending.refresh_from_db()
    assert pending.status == SubsidyClaim.Status.APPROVED
    assert pending.amount == Decimal("1599.99")
    assert pending.amount <= pending.contribution * 2 / 3
    assert list(SubsidyMonth.objects.values_list("month", flat=True)) == [
        dt.date(2026, 8, 1),
        dt.date(2026, 9, 1),
        dt.date(2026, 10, 1),
    ]
    assert '已享受 <strong id="used">3</strong> 个月' in citizen.get("/flexible/me/subsidy/").content.decode()

    # The same month cannot be claimed again.
    response = claim(citizen, "2026-10", "2026-11", "1600.00")
    assert "2026年10月已经补贴过" in citizen.get(response["Location"]).content.decode()
    assert SubsidyClaim.objects.count() == 1
    # Future months cannot be claimed (先缴后补).
    claim(citizen, "2026-12", "2026-12", "800.00")
    assert SubsidyClaim.objects.count() == 1

    # A payment batch, confirmed by a second officer.
    officer.post("/flexible/workbench/subsidy/", {"op": "batch"})
    batch = PaymentBatch.objects.get()
    assert batch.total == Decimal("1599.99") and batch.status == PaymentBatch.Status.OPEN
    officer.post("/flexible/workbench/subsidy/", {"op": "pay", "batch": batch.pk})
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.OPEN  # the maker cannot confirm their own batch
    city.post("/flexible/workbench/subsidy/", {"op": "pay", "batch": batch.pk})
    batch.refresh_from_db()
    pending.refresh_from_db()
    assert batch.status == PaymentBatch.Status.PAID and pending.status == SubsidyClaim.Status.PAID
    # Nothing left to batch.
    officer.post("/flexible/workbench/subsidy/", {"op": "batch"})
    assert PaymentBatch.objects.count() == 1


def test_the_same_month_is_never_paid_twice_even_by_two_claims_decided_separately(monday, li_xiaoyu, wang_fang):
    flexible_worker(li_xiaoyu, "graduate", graduation=dt.date(2026, 6, 30))
    citizen, officer = sign_in(Client(), li_xiaoyu), sign_in(Client(), wang_fang)
    enrol(citizen, officer)
    enrolment = SubsidyEnrolment.objects.get()
    # Two claims for overlapping months that slipped past the submission check (e.g. entered at two offices).
    first = SubsidyClaim.objects.create(
        enrolment=enrolment, region_code="510104", first_month=dt.date(2026, 9, 1), last_month=dt.date(2026, 9, 1),
        contribution=Decimal("800.00"),
    )  # fmt: skip
    second = SubsidyClaim.objects.create(
        enrolment=enrolment, region_code="510104", first_month=dt.date(2026, 9, 1), last_month=dt.date(2026, 10, 1),
        contribution=Decimal("1600.00"),
    )  # fmt: skip
    claim_decide(actor=wang_fang, claim=first, approve=True)
    with pytest.raises(ConflictError, match="同一月份不能重复补贴"):
        claim_decide(actor=wang_fang, claim=second, approve=True)
    second.refresh_from_db()
    assert second.status == SubsidyClaim.Status.SUBMITTED and second.amount is None
    assert SubsidyMonth.objects.count() == 1
    # And the database itself refuses a second row for the month.
    with pytest.raises(IntegrityError), transaction.atomic():
        SubsidyMonth.objects.create(
            person=enrolment.person, month=dt.date(2026, 9, 1), claim=second, contribution=1, amount=1
        )


def test_the_graduate_window_ends_two_years_after_leaving_school(monday, li_xiaoyu, wang_fang):
    flexible_worker(li_xiaoyu, "graduate", since=dt.date(2024, 6, 1), graduation=dt.date(2024, 6, 30))
    citizen, officer = sign_in(Client(), li_xiaoyu), sign_in(Client(), wang_fang)
    # Enrolment is decided today (November 2026), outside the window: the policy refuses it.
    citizen.post("/flexible/me/subsidy/", {"op": "enrol", "declared_contribution": "800", "proof": pdf()})
    case = Case.objects.get(case_type="flexible.si_subsidy")
    response = officer.post(f"/workbench/cases/{case.pk}/", {"action": "approve"})
    assert response.status_code == 422 and "不符合补贴条件" in response.content.decode()
    case.refresh_from_db()
    assert case.state == "submitted"
    # Had it been approved, only the months inside the window would be paid.
    case.state = "approved"
    case.save()
    SubsidyEnrolment.objects.update(approved_on=dt.date(2026, 5, 10))
    claim(citizen, "2026-05", "2026-08", "3200.00")
    pending = SubsidyClaim.objects.get()
    officer.post("/flexible/workbench/subsidy/", {"op": "approve", "claim": pending.pk})
    pending.refresh_from_db()
    assert pending.status == SubsidyClaim.Status.APPROVED
    assert list(pending.months.values_list("month", flat=True)) == [dt.date(2026, 5, 1), dt.date(2026, 6, 1)]
    assert pending.amount == Decimal("1066.66")
    assert "2026年07月：不予补贴" in pending.decision_note


def _used_months(enrolment, count, last=dt.date(2026, 2, 1)):
    """``count`` months already subsidised, ending with ``last``."""
    months, current = [], last
    for _ in range(count):
        months.append(current)
        current = (current - dt.timedelta(days=1)).replace(day=1)
    earlier = SubsidyClaim.objects.create(
        enrolment=enrolment, region_code=enrolment.region_code, first_month=months[-1], last_month=months[0],
        contribution=Decimal("100.00") * count, amount=Decimal("66.67") * count, status=SubsidyClaim.Status.PAID,
    )  # fmt: skip
    SubsidyMonth.objects.bulk_create(
        SubsidyMonth(person=enrolment.person, month=m, claim=earlier, contribution=100, amount=Decimal("66.67"))
        for m in months
    )


def test_near_retirement_the_subsidy_continues_past_36_months_until_retirement(monday, wang_fang):
    # Born January 1966: retires at 60 years 4 months, on 15 May 2026; first approved within 5 years of that.
    user = make_citizen("qian", "钱建华", phone="13800000003", region_code="510104", birth="1966-01-15", sex="M")
    flexible_worker(user, "employment_difficulty", since=dt.date(2021, 1, 1))
    citizen, officer = sign_in(Client(), user), sign_in(Client(), wang_fang)
    case = enrol(citizen, officer)
    SubsidyEnrolment.objects.filter(case=case).update(approved_on=dt.date(2021, 6, 1))
    _used_months(SubsidyEnrolment.objects.get(), 40)
    claim(citizen, "2026-03", "2026-06", "2000.00")
    pending = SubsidyClaim.objects.get(status=SubsidyClaim.Status.SUBMITTED)
    officer.post("/flexible/workbench/subsidy/", {"op": "approve", "claim": pending.pk})
    pending.refresh_from_db()
    # March and April: before retirement. May and June: retired.
    assert list(pending.months.values_list("month", flat=True)) == [dt.date(2026, 3, 1), dt.date(2026, 4, 1)]
    assert pending.amount == Decimal("666.66")


def test_difficulty_subsidy_stops_after_36_months_when_far_from_retirement(monday, zhao_jianguo, wang_fang):
    flexible_worker(zhao_jianguo, "employment_difficulty", since=dt.date(2022, 1, 1))
    citizen, officer = sign_in(Client(), zhao_jianguo), sign_in(Client(), wang_fang)
    case = enrol(citizen, officer)
    SubsidyEnrolment.objects.filter(case=case).update(approved_on=dt.date(2023, 1, 5))
    _used_months(SubsidyEnrolment.objects.get(), 35)
    claim(citizen, "2026-09", "2026-10", "1000.00")
    pending = SubsidyClaim.objects.get(status=SubsidyClaim.Status.SUBMITTED)
    officer.post("/flexible/workbench/subsidy/", {"op": "approve", "claim": pending.pk})
    pending.refresh_from_db()
    # The 36th month is paid, the 37th is not.
    assert list(pending.months.values_list("month", flat=True)) == [dt.date(2026, 9, 1)]
    assert pending.amount == Decimal("333.33")
    assert "2026年10月：不予补贴" in pending.decision_note


def test_claims_need_an_approved_enrolment_and_proof(monday, li_xiaoyu, wang_fang):
    flexible_worker(li_xiaoyu, "graduate", graduation=dt.date(2026, 6, 30))
    citizen = sign_in(Client(), li_xiaoyu)
    response = claim(citizen, "2026-09", "2026-09", "800.00")
    assert "请先申请并取得社会保险补贴资格" in citizen.get(response["Location"]).content.decode()
    enrol(citizen, sign_in(Client(), wang_fang))
    response = citizen.post(
        "/flexible/me/subsidy/",
        {"op": "claim", "first_month": "2026-09", "last_month": "2026-09", "contribution": "800"},
    )
    assert "缴费凭证" in citizen.get(response["Location"]).content.decode()
    claim(citizen, "2026-09", "2026-09", "800.001")
    assert not SubsidyClaim.objects.exists()


def test_other_districts_cannot_see_or_decide_claims(monday, li_xiaoyu, wang_fang, chen_gang):
    flexible_worker(li_xiaoyu, "graduate", graduation=dt.date(2026, 6, 30))
    citizen = sign_in(Client(), li_xiaoyu)
    enrol(citizen, sign_in(Client(), wang_fang))
    claim(citizen, "2026-09", "2026-09", "800.00")
    pending = SubsidyClaim.objects.get()
    other = sign_in(Client(), chen_gang)
    assert other.post("/flexible/workbench/subsidy/", {"op": "approve", "claim": pending.pk}).status_code == 404
    assert "李晓雨" not in other.get("/flexible/workbench/subsidy/").content.decode()
