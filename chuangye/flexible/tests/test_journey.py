"""The journey of "Done means", entirely through the web pages: an employer posts a gig, a worker finds it by place,
skill and date, takes it, the employer confirms, both confirm completion and rate each other, and the worker raises a
wage complaint in one click, which runs as a green-channel rights case and is referred to legal aid."""

import datetime as dt

import pytest
from django.test import Client

from chuangye.accounts.testing import sign_in
from chuangye.cases.deadlines import local_date
from chuangye.cases.models import Case
from chuangye.core.audit import verify_chains
from chuangye.core.errors import DomainError
from chuangye.flexible.models import Engagement, Gig, Rating, RightsRequest
from chuangye.flexible.tests.conftest import CHUNXI, FAR, gig_form
from chuangye.inbox.models import Message

pytestmark = pytest.mark.django_db


def search(client, **params):
    query = {"latitude": CHUNXI[0], "longitude": CHUNXI[1], "radius": "5", **params}
    return client.get("/flexible/", query)


def test_employer_posts_worker_takes_both_confirm_rate_and_worker_complains(
    monday, zhu_hong, zhao_jianguo, wang_fang, hu_bin
):
    employer, worker, officer, aid = (
        sign_in(Client(), zhu_hong),
        sign_in(Client(), zhao_jianguo),
        sign_in(Client(), wang_fang),
        sign_in(Client(), hu_bin),
    )
    # The employer posts; an employer's posting is published at once.
    response = employer.post("/flexible/gigs/new/", gig_form())
    gig = Gig.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/flexible/gigs/{gig.pk}/"
    assert gig.status == Gig.Status.PUBLISHED and gig.poster_name == "成都示例餐饮管理有限公司"
    # Also a posting too far away, one of another skill and one on another day: search leaves them out.
    employer.post("/flexible/gigs/new/", gig_form(title="远处的后厨", latitude=str(FAR[0]), longitude=str(FAR[1])))
    employer.post("/flexible/gigs/new/", gig_form(title="保洁员", job_type="cleaning"))
    employer.post("/flexible/gigs/new/", gig_form(title="下周后厨", work_date="2026-11-14", valid_until="2026-11-14"))

    # The worker saves a profile and searches by place, radius, skill and date.
    response = worker.post(
        "/flexible/me/profile/",
        {
            "skills": ["kitchen", "cleaning"],
            "weekdays": ["6", "7"],
            "address": "春熙路",
            "latitude": str(CHUNXI[0]),
            "longitude": str(CHUNXI[1]),
            "radius_km": "5",
            "is_seeking": "1",
        },
    )
    assert response.status_code == 302
    page = search(worker, job_type="kitchen", date="2026-11-07").content.decode()
    assert "周末后厨帮工" in page and "3.0 公里" in page
    assert "远处的后厨" not in page and "保洁员" not in page and "下周后厨" not in page
    # The employer sees the worker recommended for the gig (skill, weekday, within the worker's radius).
    assert "赵**" in employer.get(f"/flexible/gigs/{gig.pk}/").content.decode()

    # 即时快招: take → the employer confirms.
    response = worker.post(f"/flexible/gigs/{gig.pk}/", {"op": "take"})
    engagement = Engagement.objects.get()
    assert response["Location"] == f"/flexible/engagements/{engagement.pk}/"
    assert Message.objects.filter(recipient=zhu_hong, title__contains="有人接单").exists()
    # The worker cannot confirm for the employer, nor complete before the employer confirms.
    worker.post(f"/flexible/engagements/{engagement.pk}/", {"op": "confirm"})
    worker.post(f"/flexible/engagements/{engagement.pk}/", {"op": "complete"})
    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.TAKEN and engagement.worker_done_at is None
    employer.post(f"/flexible/engagements/{engagement.pk}/", {"op": "confirm"})
    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.CONFIRMED

    # Both confirm completion; it is completed only when both have.
    worker.post(f"/flexible/engagements/{engagement.pk}/", {"op": "complete"})
    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.CONFIRMED and engagement.worker_done_at is not None
    assert worker.post(f"/flexible/engagements/{engagement.pk}/", {"op": "rate", "score": "5"}).status_code == 302
    assert not Rating.objects.exists()  # no rating before both confirmed
    employer.post(f"/flexible/engagements/{engagement.pk}/", {"op": "complete"})
    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.COMPLETED

    # Both rate, once each.
    worker.post(f"/flexible/engagements/{engagement.pk}/", {"op": "rate", "score": "4", "comment": "准时结算"})
    employer.post(f"/flexible/engagements/{engagement.pk}/", {"op": "rate", "score": "5", "comment": "勤快"})
    worker.post(f"/flexible/engagements/{engagement.pk}/", {"op": "rate", "score": "1"})
    ratings = {r.rater_id: (r.ratee_id, r.score) for r in Rating.objects.all()}
    assert ratings == {zhao_jianguo.pk: (zhu_hong.pk, 4), zhu_hong.pk: (zhao_jianguo.pk, 5)}

    # One click: a wage complaint linked to the gig, on the green channel (5 working days, not 15).
    response = worker.post(f"/flexible/engagements/{engagement.pk}/", {"op": "complain", "kind": "wages"})
    case = Case.objects.get(case_type="flexible.rights")
    assert response["Location"] == f"/me/cases/{case.pk}/"
    rights = case.rights_request
    assert rights.gig == gig and rights.engagement == engagement and rights.respondent_user == zhu_hong
    assert rights.green_channel and "周末后厨帮工" in rights.description
    assert local_date(case.due_at) == dt.date(2026, 11, 9)  # 5 working days after Monday 2 November
    assert case.region_code == "510104"
    # A second click does not open a second case.
    worker.post(f"/flexible/engagements/{engagement.pk}/", {"op": "complain", "kind": "wages"})
    assert Case.objects.filter(case_type="flexible.rights").count() == 1

    # The officer refers it to legal aid; the legal-aid centre sees it and records the outcome.
    assert "绿色通道" in officer.get("/flexible/workbench/rights/").content.decode()
    assert "暂无转介案件" in aid.get("/flexible/legal-aid/").content.decode()
    response = officer.post("/flexible/workbench/rights/", {"case": case.pk, "organisation": hu_bin.organisation_id})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "referred"
    assert case.number in aid.get("/flexible/legal-aid/").content.decode()
    aid.post("/flexible/legal-aid/", {"case": case.pk, "outcome": "经调解，雇主当日补发报酬200元"})
    case.refresh_from_db()
    assert case.state == "resolved"
    assert RightsRequest.objects.get().outcome == "经调解，雇主当日补发报酬200元"
    assert "补发报酬" in worker.get("/flexible/me/").content.decode()
    assert verify_chains() == []


def test_individual_postings_wait_for_review_before_anyone_sees_them(
    monday, li_xiaoyu, zhao_jianguo, wang_fang, chen_gang
):
    poster, worker = sign_in(Client(), li_xiaoyu), sign_in(Client(), zhao_jianguo)
    poster.post("/flexible/gigs/new/", gig_form(title="帮忙搬家", job_type="loading"))
    gig = Gig.objects.get()
    assert gig.status == Gig.Status.PENDING and gig.poster_kind == Gig.Poster.INDIVIDUAL
    assert gig.poster_name == "个人雇主 李**"
    assert worker.get(f"/flexible/gigs/{gig.pk}/").status_code == 404
    assert "帮忙搬家" not in search(worker).content.decode()
    assert poster.get(f"/flexible/gigs/{gig.pk}/").status_code == 200
    # The officer of another district neither sees nor reviews it.
    other = sign_in(Client(), chen_gang)
    assert "帮忙搬家" not in other.get("/flexible/workbench/").content.decode()
    assert other.post("/flexible/workbench/", {"op": "approve", "gig": gig.pk}).status_code == 404
    officer = sign_in(Client(), wang_fang)
    assert "帮忙搬家" in officer.get("/flexible/workbench/").content.decode()
    officer.post("/flexible/workbench/", {"op": "reject", "gig": gig.pk, "note": ""})
    gig.refresh_from_db()
    assert gig.status == Gig.Status.PENDING  # a rejection needs a reason
    officer.post("/flexible/workbench/", {"op": "approve", "gig": gig.pk})
    gig.refresh_from_db()
    assert gig.status == Gig.Status.PUBLISHED and gig.reviewed_by == wang_fang
    assert "帮忙搬家" in search(worker).content.decode()
    assert Message.objects.filter(recipient=li_xiaoyu, title__contains="已审核发布").exists()


def test_anyone_may_search_without_signing_in(monday, zhu_hong):
    sign_in(Client(), zhu_hong).post("/flexible/gigs/new/", gig_form())
    anonymous = Client()
    page = search(anonymous).content.decode()
    assert "周末后厨帮工" in page
    gig = Gig.objects.get()
    assert anonymous.get(f"/flexible/gigs/{gig.pk}/").status_code == 200
    assert anonymous.post(f"/flexible/gigs/{gig.pk}/", {"op": "take"}).status_code == 302
    assert not Engagement.objects.exists()


def test_bad_search_input_is_a_clear_message(monday):
    response = Client().get("/flexible/", {"latitude": "abc", "longitude": "104"})
    assert response.status_code == 422 and "位置坐标" in response.content.decode()
    response = Client().get("/flexible/", {"latitude": "30.6", "longitude": "104", "radius": "500"})
    assert response.status_code == 422 and "搜索半径" in response.content.decode()


def test_only_the_legal_aid_body_a_case_was_referred_to_sees_and_closes_it(
    monday, zhu_hong, zhao_jianguo, li_xiaoyu, wang_fang, hu_bin
):
    from chuangye.accounts.models import Organisation, Role
    from chuangye.accounts.testing import make_org, make_user
    from chuangye.flexible import actions

    other_org = make_org("武侯区法律援助中心", Organisation.Kind.LEGAL_AID, "510107")
    other = make_user("zhangli", Role.PARTNER, region_code="510107", org=other_org, real_name="张丽")
    gig = actions.gig_post(actor=zhu_hong, data=gig_form())
    engagement = actions.gig_take(actor=zhao_jianguo, gig=gig)
    case = actions.rights_submit(actor=zhao_jianguo, kind="wages", description="", engagement=engagement)
    # A bank's staff cannot be chosen; only legal-aid organisations can.
    with pytest.raises(DomainError, match="法律援助机构"):
        actions.rights_refer(actor=wang_fang, case=case, organisation_id=zhu_hong.organisation_id)
    actions.rights_refer(actor=wang_fang, case=case, organisation_id=hu_bin.organisation_id)
    stranger = sign_in(Client(), other)
    assert case.number not in stranger.get("/flexible/legal-aid/").content.decode()
    assert stranger.post("/flexible/legal-aid/", {"case": case.pk, "outcome": "越权登记"}).status_code == 404
    case.refresh_from_db()
    assert case.state == "referred"
    # Only a gig's worker may raise a complaint about it.
    with pytest.raises(DomainError, match="只有接单的求职者"):
        actions.rights_submit(actor=li_xiaoyu, kind="wages", description="", engagement=engagement)
