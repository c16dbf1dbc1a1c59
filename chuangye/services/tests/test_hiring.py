"""Hiring for start-ups: a founder posts an opening, a seeker keeps a profile, is matched and applies; fairs."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from chuangye.accounts.testing import sign_in
from chuangye.core.errors import DomainError
from chuangye.core.ids import build_credit_code, encode_org_body
from chuangye.inbox.models import Message
from chuangye.registry.models import Business, Founder
from chuangye.services import actions, matching
from chuangye.services.models import FairSignup, JobApplication, Opening

pytestmark = pytest.mark.django_db
BEIJING = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 6, 10, tzinfo=BEIJING)


@pytest.fixture
def cafe(li_xiaoyu):
    person = li_xiaoyu.person
    code = build_credit_code("9", "2", "510104", encode_org_body(7, prefix="HR"))
    business = Business.objects.create(
        credit_code=code,
        name="晓雨咖啡馆",
        kind="individual",
        legal_representative=person,
        registered_on=dt.date(2025, 6, 1),
        region_code="510104",
        industry="H",
    )
    Founder.objects.create(business=business, person=person, role="operator")
    return business


OPENING = {
    "role": "咖啡师",
    "pay_min": "4000",
    "pay_max": "6000",
    "place": "成都市锦江区春熙路",
    "headcount": "2",
    "requirements": "有咖啡制作经验，熟悉意式咖啡机，能上早班。",
}


def test_a_founder_posts_an_opening_and_a_seeker_is_matched_and_applies(li_xiaoyu, zhao_jianguo, cafe):
    founder, seeker = sign_in(Client(), li_xiaoyu), sign_in(Client(), zhao_jianguo)
    assert "晓雨咖啡馆" in founder.get("/services/jobs/new/").content.decode()
    response = founder.post("/services/jobs/new/", {"business": cafe.pk, **OPENING})
    opening = Opening.objects.get()
    assert response["Location"] == f"/services/jobs/{opening.pk}/"
    assert (opening.pay_min, opening.pay_max, opening.region_code) == (Decimal("4000.00"), Decimal("6000.00"), "510104")

    response = seeker.post(
        "/services/jobs/profile/",
        {"desired_role": "咖啡师", "skills": "三年意式咖啡制作经验", "expected_pay": "5000", "region_code": "510104"},
    )
    assert response.status_code == 302
    page = seeker.get("/services/jobs/").content.decode()
    assert "咖啡师" in page and "为您推荐" in page and "共同关键词" in page
    assert seeker.post(f"/services/jobs/{opening.pk}/", {"action": "apply"}).status_code == 302
    application = JobApplication.objects.get()
    assert application.score == 100
    assert Message.objects.filter(recipient=li_xiaoyu, title="新的应聘：咖啡师").exists()
    assert seeker.post(f"/services/jobs/{opening.pk}/", {"action": "apply"}).status_code == 409

    # Only the business records outcomes; the seeker is told.
    assert (
        seeker.post(
            f"/services/jobs/{opening.pk}/", {"action": "outcome", "application": application.pk, "state": "hired"}
        ).status_code
        == 403
    )
    assert "赵建国" in founder.get(f"/services/jobs/{opening.pk}/").content.decode()
    for state in ("interview", "hired"):
        founder.post(
            f"/services/jobs/{opening.pk}/", {"action": "outcome", "application": application.pk, "state": state}
        )
    application.refresh_from_db()
    assert application.state == JobApplication.State.HIRED
    assert Message.objects.filter(recipient=zhao_jianguo, title="应聘进展：咖啡师").count() == 2


def test_seeker_opening_score_parts():
    seeker = type("S", (), {})()
    seeker.desired_role, seeker.skills, seeker.region_code, seeker.expected_pay = (
        "软件开发",
        "Python 网站开发",
        "510107",
        Decimal("9000"),
    )
    opening = Opening(
        role="咖啡师", requirements="熟悉意式咖啡机", region_code="510104", pay_min=Decimal(4000), pay_max=Decimal(6000)
    )
    match = matching.score_opening(seeker, opening)
    assert [(p.code, p.points) for p in match.parts] == [("words", 0), ("region", 20), ("pay", 0)]
    opening.pay_max = Decimal("8000")  # within 20 % of the expectation: half the pay points
    assert matching.score_opening(seeker, opening).parts[2].points == 10


def test_bad_openings_are_refused_naming_the_field(li_xiaoyu, zhao_jianguo, cafe):
    founder = sign_in(Client(), li_xiaoyu)
    response = founder.post("/services/jobs/new/", {"business": cafe.pk, **OPENING, "pay_max": "3000"})
    assert response.status_code == 422 and "「月薪上限」不能低于月薪下限" in response.content.decode()
    response = founder.post("/services/jobs/new/", {"business": cafe.pk, **OPENING, "pay_min": "4000.123"})
    assert "「月薪下限」最多保留两位小数" in response.content.decode()
    # Someone else's business is not offered and cannot be used.
    other = sign_in(Client(), zhao_jianguo).post("/services/jobs/new/", {"business": cafe.pk, **OPENING})
    assert other.status_code == 422 and "经营主体" in other.content.decode()
    with pytest.raises(DomainError):
        actions.opening_post(actor=zhao_jianguo, business=cafe, data=OPENING)
    assert Opening.objects.count() == 0


def test_a_matchmaking_fair_registers_both_sides_and_records_outcomes(
    li_xiaoyu, zhao_jianguo, wang_fang, chen_gang, cafe
):
    with time_machine.travel(NOW, tick=False):
        office = sign_in(Client(), wang_fang)
        response = office.post(
            "/services/fairs/",
            {
                "title": "锦江区初创企业招聘对接洽谈会",
                "region_code": "510104",
                "place": "锦江区人力资源市场",
                "starts_at": "2026-11-20T09:30",
            },
        )
        assert response.status_code == 302
        fair_url = response["Location"]
        opening = actions.opening_post(actor=li_xiaoyu, business=cafe, data=OPENING)
        actions.seeker_profile_save(
            actor=zhao_jianguo,
            data={"desired_role": "咖啡师", "skills": "咖啡", "expected_pay": "4500", "region_code": "510104"},
        )
        founder, seeker = sign_in(Client(), li_xiaoyu), sign_in(Client(), zhao_jianguo)
        assert founder.post(fair_url, {"action": "signup", "side": "employer", "business": cafe.pk}).status_code == 302
        assert seeker.post(fair_url, {"action": "signup", "side": "seeker"}).status_code == 302
        assert seeker.post(fair_url, {"action": "signup", "side": "seeker"}).status_code == 409
        assert FairSignup.objects.count() == 2
        page = office.get(fair_url).content.decode()
        assert "晓雨咖啡馆" in page and "赵建国" in page
        # 武侯区's officer sees the fair but cannot record its outcomes.
        assert (
            sign_in(Client(), chen_gang)
            .post(
                fair_url, {"action": "outcome", "opening": opening.pk, "seeker": zhao_jianguo.pk, "state": "interview"}
            )
            .status_code
            == 403
        )
        assert (
            office.post(
                fair_url, {"action": "outcome", "opening": opening.pk, "seeker": zhao_jianguo.pk, "state": "interview"}
            ).status_code
            == 302
        )
    application = JobApplication.objects.get()
    assert application.state == JobApplication.State.INTERVIEW and application.fair is not None
    late = dt.datetime(2026, 11, 21, 9, tzinfo=BEIJING)
    with time_machine.travel(late, tick=False), pytest.raises(DomainError, match="不能报名"):
        actions.fair_signup(actor=li_xiaoyu, fair=application.fair, side="seeker")
