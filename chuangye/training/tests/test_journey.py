"""The whole path through the web pages: an institution applies for a class, the bureau approves it, citizens
enrol, attendance is taken by QR code and by staff entry, the class completes with certificates (PDF and the public
verification page), the institution claims, the claim is publicised (公示) and the bureau approves payment."""

import datetime as dt
import re

import pytest
from django.test import Client

from chuangye.accounts.testing import sign_in
from chuangye.training.models import Certificate, Claim, ClaimLine, Enrolment, TrainingClass
from chuangye.training.testing import SESSIONS
from chuangye.training.tests.conftest import found_business, travel

pytestmark = pytest.mark.django_db


def test_a_class_goes_from_application_to_paid_subsidy_through_the_web(
    sun_li, qian_jin, wang_fang, chen_gang, li_xiaoyu, zhao_jianguo, chengdu_rules
):
    # Sessions time out when idle, so each step signs in afresh at its own (frozen) time.
    def school():
        return sign_in(Client(), sun_li)

    def officer():
        return sign_in(Client(), wang_fang)

    def li():
        return sign_in(Client(), li_xiaoyu)

    def zhao():
        return sign_in(Client(), zhao_jianguo)

    # 1. The institution applies to open a class.
    with travel("2026-03-02"):
        assert school().get("/training/org/classes/new/").status_code == 200
        response = school().post(
            "/training/org/classes/new/",
            {
                "course": "SYB",
                "title": "2026年第1期SYB创业培训班",
                "start_date": "2026-03-16",
                "end_date": "2026-03-20",
                "venue": "锦江区创业服务中心三楼",
                "capacity": "30",
                "hours": "70",
                "trainers": [str(qian_jin.pk)],
                "sessions": SESSIONS,
                "form_key": "k1",
            },
        )
    assert response.status_code == 302, response.content.decode()
    klass = TrainingClass.objects.get()
    assert klass.case.state == "submitted" and klass.sessions.count() == 5

    # 2. The officer approves it on the case page before the start (the trainee cannot enrol before that).
    with travel("2026-03-03"):
        assert li().post(f"/training/classes/{klass.pk}/").status_code == 404  # not approved: not offered
        assert "2026年第1期SYB创业培训班" in officer().get("/training/workbench/").content.decode()
        page = officer().get(f"/workbench/cases/{klass.case.pk}/")
        assert page.status_code == 200 and "开班信息" in page.content.decode()
        response = officer().post(f"/workbench/cases/{klass.case.pk}/", {"action": "approve"})
        assert response.status_code == 302
    klass.refresh_from_db()
    assert klass.case.state == "approved" and klass.approved_at is not None

    # 3. Citizens enrol on the portal.
    with travel("2026-03-05"):
        assert "2026年第1期SYB创业培训班" in Client().get("/training/").content.decode()
        assert li().post(f"/training/classes/{klass.pk}/").status_code == 302
        assert zhao().post(f"/training/classes/{klass.pk}/").status_code == 302
        again = li().post(f"/training/classes/{klass.pk}/")
        assert again.status_code == 409 and "已报名" in again.content.decode()
    li_enrolment = Enrolment.objects.get(person=li_xiaoyu.person)
    zhao_enrolment = Enrolment.objects.get(person=zhao_jianguo.person)
    assert li_enrolment.status == zhao_enrolment.status == Enrolment.Status.ENROLLED

    # 4. Attendance: 李晓雨 scans the first session's QR code; the school enters the rest.
    first = klass.sessions.get(number=1)
    with travel("2026-03-16", "09:05"):
        page = school().get(f"/training/org/sessions/{first.pk}/").content.decode()
        assert "<svg" in page
        url = re.search(r"/training/scan/\?t=([^\"<\s]+)", page)
        assert url is not None
        token = url.group(1)
        assert li().get(f"/training/scan/?t={token}").status_code == 200
        assert li().post("/training/scan/", {"t": token, "session": first.pk}).status_code == 302
        reuse = li().post("/training/scan/", {"t": token, "session": first.pk})
        assert reuse.status_code == 409 and "不能重复使用" in reuse.content.decode()
    for session in klass.sessions.all():
        with travel(session.starts_at.astimezone(dt.UTC).date().isoformat(), "11:00"):
            ids = [zhao_enrolment.pk] + ([li_enrolment.pk] if session.number > 1 else [])
            response = school().post(f"/training/org/sessions/{session.pk}/", {"action": "enter", "present": ids})
            assert response.status_code == 302
    assert li_enrolment.attendances.count() == 5 and zhao_enrolment.attendances.count() == 5

    # 5. Completion: assessment results, then certificates; the PDF and the public verification page.
    with travel("2026-03-20", "15:00"):
        form = {"action": "assess", f"passed_{li_enrolment.pk}": "1", f"passed_{zhao_enrolment.pk}": "1"}
        assert school().post(f"/training/org/classes/{klass.pk}/", form).status_code == 302
        assert school().post(f"/training/org/classes/{klass.pk}/", {"action": "complete"}).status_code == 302
    certificate = Certificate.objects.get(person=li_xiaoyu.person)
    assert certificate.serial.startswith("CYPX-2026-510104-")
    pdf = li().get(f"/training/certificates/{certificate.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert zhao().get(f"/training/certificates/{certificate.pk}.pdf").status_code == 404
    verify = Client().get(f"/training/verify/{certificate.verify_code}/").content.decode()
    assert "核验通过" in verify and "李**" in verify and "李晓雨" not in verify and "创办你的企业（SYB）" in verify
    assert "未找到" in Client().get("/training/verify/NOSUCHCODE/").content.decode()

    # 赵建国 registered his studio during the course: full subsidy; 李晓雨 has not started a business: 50%.
    found_business(zhao_jianguo.person, dt.date(2026, 3, 18))

    # 6. The institution claims; the bureau publicises it for 5 working days, then approves payment.
    with travel("2026-03-23"):
        response = school().post(f"/training/org/classes/{klass.pk}/", {"action": "claim"})
        assert response.status_code == 302
        assert school().post(f"/training/org/classes/{klass.pk}/", {"action": "claim"}).status_code == 409
    claim = Claim.objects.get()
    amounts = {line.person_id: line.amount for line in claim.lines.all()}
    assert amounts == {li_xiaoyu.person.pk: pytest.approx(500), zhao_jianguo.person.pk: pytest.approx(1000)}
    assert str(claim.total) == "1500.00"
    assert sign_in(Client(), chen_gang).get(f"/training/workbench/claims/{claim.pk}/").status_code == 404
    with travel("2026-03-24"):
        early = officer().post(f"/training/workbench/claims/{claim.pk}/", {"action": "approve"})
        assert early.status_code == 409
        assert officer().post(f"/training/workbench/claims/{claim.pk}/", {"action": "notice"}).status_code == 302
    claim.refresh_from_db()
    assert claim.state == Claim.State.NOTICE
    assert (claim.notice_from, claim.notice_until) == (dt.date(2026, 3, 25), dt.date(2026, 3, 31))
    notice_page = Client().get("/training/notices/").content.decode()
    assert claim.number in notice_page and "李**" in notice_page and "李晓雨" not in notice_page
    with travel("2026-03-31", "16:00"):
        during = officer().post(f"/training/workbench/claims/{claim.pk}/", {"action": "approve"})
        assert during.status_code == 409 and "公示期" in during.content.decode()
    with travel("2026-04-01"):
        assert officer().post(f"/training/workbench/claims/{claim.pk}/", {"action": "approve"}).status_code == 302
    claim.refresh_from_db()
    assert claim.state == Claim.State.APPROVED and str(claim.total) == "1500.00"
    assert set(claim.lines.values_list("status", flat=True)) == {ClaimLine.Status.PAID}
    with travel("2026-04-01"):
        assert claim.number in school().get("/training/org/").content.decode()


def test_an_approval_on_or_after_the_start_date_is_refused(klass, wang_fang):
    from chuangye.cases.actions import case_transition
    from chuangye.core.errors import DomainError

    with travel("2026-03-16"), pytest.raises(DomainError, match="开班前未获批准"):
        case_transition(case=klass.case, action="approve", actor=wang_fang)
    klass.refresh_from_db()
    assert klass.case.state == "submitted"


def test_the_institution_cannot_approve_its_own_class_and_other_districts_cannot_see_it(klass, sun_li, chen_gang):
    with travel("2026-03-03"):
        other = sign_in(Client(), chen_gang)
        assert other.get(f"/workbench/cases/{klass.case.pk}/").status_code == 404
        assert other.get(f"/training/workbench/classes/{klass.pk}/").status_code == 404
        assert other.post(f"/workbench/cases/{klass.case.pk}/", {"action": "approve"}).status_code == 404
        school = sign_in(Client(), sun_li)
        assert school.post(f"/workbench/cases/{klass.case.pk}/", {"action": "approve"}).status_code == 403
        assert "2026年第1期SYB创业培训班" in school.get("/training/org/").content.decode()
    klass.refresh_from_db()
    assert klass.case.state == "submitted"
