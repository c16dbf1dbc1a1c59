"""Programmes: publishing, sign-up within capacity, outcomes recorded by the district; the public catalogue."""

import pytest
from django.test import Client

from chuangye.accounts.testing import sign_in
from chuangye.core.errors import ConflictError
from chuangye.cultivation import actions
from chuangye.cultivation.models import Enrolment, Programme

pytestmark = pytest.mark.django_db

CAMP = {
    "kind": "camp",
    "title": "锦江区大学生创业训练营",
    "target_group": "graduate",
    "capacity": "1",
    "starts_on": "2026-12-01",
    "ends_on": "2026-12-05",
    "description": "五天集中训练：商业模式、财务测算、路演，配备创业导师。",
}


def test_publish_sign_up_and_record_the_outcome(wang_fang, chen_gang, li_xiaoyu, zhao_jianguo):
    officer = sign_in(Client(), wang_fang)
    response = officer.post("/cultivation/programmes/new/", {**CAMP, "supports": ["training", "mentoring"]})
    assert response.status_code == 302
    camp = Programme.objects.get()
    assert camp.region_code == "510104" and camp.support_labels() == ["培训", "项目指导"]
    listing = Client().get("/cultivation/programmes/?group=graduate").content.decode()
    assert "锦江区大学生创业训练营" in listing and "0/1" in listing

    assert Client().post(f"/cultivation/programmes/{camp.pk}/")["Location"].startswith("/login/")
    assert officer.post(f"/cultivation/programmes/{camp.pk}/").status_code == 403
    assert sign_in(Client(), li_xiaoyu).post(f"/cultivation/programmes/{camp.pk}/").status_code == 302
    full = sign_in(Client(), zhao_jianguo).post(f"/cultivation/programmes/{camp.pk}/")
    assert full.status_code == 409 and "名额已满" in full.content.decode()
    with pytest.raises(ConflictError):
        actions.programme_signup(actor=li_xiaoyu, programme=camp)

    enrolment = Enrolment.objects.get()
    officer.post(
        f"/cultivation/programmes/{camp.pk}/roster/", {"enrolment": enrolment.pk, "outcome": "started_business"}
    )
    enrolment.refresh_from_db()
    assert enrolment.outcome == "started_business"
    assert "已结业并创业 1 人" in Client().get(f"/cultivation/programmes/{camp.pk}/").content.decode()
    # The neighbouring district's officer cannot see the roster.
    assert sign_in(Client(), chen_gang).get(f"/cultivation/programmes/{camp.pk}/roster/").status_code == 404


def test_a_programme_needs_a_support_and_sane_dates(wang_fang):
    response = sign_in(Client(), wang_fang).post(
        "/cultivation/programmes/new/", {**CAMP, "ends_on": "2026-11-01", "supports": ["training"]}
    )
    assert response.status_code == 422 and "「结束日期」不能早于开始日期" in response.content.decode()
    response = sign_in(Client(), wang_fang).post("/cultivation/programmes/new/", CAMP)
    assert response.status_code == 422 and "「扶持内容」至少选择一项" in response.content.decode()
    assert not Programme.objects.exists()
