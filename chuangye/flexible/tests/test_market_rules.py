"""Gig-market rules: posting validation, headcount, search ranking, matching with hard-to-place priority, reports and
blocking, service zones, statistics and the 求人倍率."""

import datetime as dt
import itertools

import pytest
from django.test import Client

from chuangye.accounts.testing import make_citizen, sign_in
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.flexible import actions, geo
from chuangye.flexible.models import Block, Engagement, Gig, Report, ServiceZone
from chuangye.flexible.selectors import market_statistics, match_workers, search_gigs
from chuangye.flexible.tests.conftest import CHUNXI, NEAR, gig_form

pytestmark = pytest.mark.django_db
_serial = itertools.count(1)


def worker(username, name, *, lat=CHUNXI[0], lng=CHUNXI[1], tiers=(), skills=("kitchen",), region="510104"):
    n = next(_serial)
    user = make_citizen(username, name, phone=f"1390000{n:04d}", region_code=region, birth=f"1990-01-{n:02d}", sex="M")
    actions.profile_save(
        actor=user,
        data={
            "skills": list(skills),
            "weekdays": ["6"],
            "address": "成都",
            "latitude": lat,
            "longitude": lng,
            "radius_km": 10,
            "hard_to_place": list(tiers),
        },
    )
    return user


def test_posting_is_validated_field_by_field(monday, zhu_hong):
    client = sign_in(Client(), zhu_hong)
    cases = {
        "work_date": ("2026-11-01", "不能早于今天"),
        "end_time": ("08:00", "应晚于开始时间"),
        "pay": ("200.001", "精确到分"),
        "headcount": ("0", "招用人数"),
        "job_type": ("astronaut", "工种"),
        "latitude": ("91", "位置坐标"),
        "valid_until": ("2026-11-08", "不能晚于工作日期"),
        "title": ("", "标题"),
        "content": ("=HYPERLINK()", "公式符号"),
    }
    for field, (value, message) in cases.items():
        response = client.post("/flexible/gigs/new/", gig_form(**{field: value}))
        assert response.status_code == 422, field
        assert message in response.content.decode(), field
    assert not Gig.objects.exists()


def test_only_real_name_employers_and_individuals_post(monday, huang_lei, wang_fang):
    with pytest.raises(DomainError, match="只有实名的用人单位和个人"):
        actions.gig_post(actor=huang_lei, data=gig_form())
    with pytest.raises(DomainError):
        actions.gig_post(actor=wang_fang, data=gig_form())
    page = sign_in(Client(), huang_lei).get("/flexible/gigs/new/").content.decode()
    assert "只有实名登记的个人和用人单位可以发布" in page


def test_headcount_is_never_exceeded_and_a_worker_takes_once(monday, zhu_hong, li_xiaoyu, zhao_jianguo):
    gig = actions.gig_post(actor=zhu_hong, data=gig_form(headcount="1"))
    engagement = actions.gig_take(actor=zhao_jianguo, gig=gig)
    with pytest.raises(ConflictError, match="已接过"):
        actions.gig_take(actor=zhao_jianguo, gig=gig)
    with pytest.raises(ConflictError, match="已招满"):
        actions.gig_take(actor=li_xiaoyu, gig=gig)
    # A cancelled place frees up again.
    actions.engagement_cancel(actor=zhao_jianguo, engagement=engagement)
    actions.gig_take(actor=li_xiaoyu, gig=gig)
    gig.refresh_from_db()
    assert gig.taken == 1
    # A full gig drops out of search.
    assert search_gigs(latitude=CHUNXI[0], longitude=CHUNXI[1], radius_km=5) == []


def test_posters_cannot_take_their_own_gig(monday, li_xiaoyu, wang_fang):
    gig = actions.gig_post(actor=li_xiaoyu, data=gig_form())
    actions.gig_review(actor=wang_fang, gig=gig, approve=True)
    with pytest.raises(DomainError, match="不能接自己"):
        actions.gig_take(actor=li_xiaoyu, gig=gig)


def test_search_ranks_by_distance_and_respects_the_radius(monday, zhu_hong):
    near = actions.gig_post(actor=zhu_hong, data=gig_form(title="近", latitude="30.6600", longitude="104.0810"))
    middle = actions.gig_post(actor=zhu_hong, data=gig_form(title="中", latitude=str(NEAR[0]), longitude=str(NEAR[1])))
    # 4.9 km east: inside the bounding box's corner region but checked by exact distance.
    edge = actions.gig_post(actor=zhu_hong, data=gig_form(title="边", latitude="30.6570", longitude="104.1322"))
    corner = actions.gig_post(actor=zhu_hong, data=gig_form(title="角", latitude="30.6970", longitude="104.1210"))
    hits = search_gigs(latitude=CHUNXI[0], longitude=CHUNXI[1], radius_km=5)
    assert [h.gig for h in hits] == [near, middle, edge]
    assert geo.distance_km(CHUNXI[0], CHUNXI[1], corner.latitude, corner.longitude) > 5
    box = geo.bounding_box(CHUNXI[0], CHUNXI[1], 5)
    assert box.min_lat < corner.latitude < box.max_lat and box.min_lng < corner.longitude < box.max_lng
    assert all(h.distance_km <= 5 for h in hits)
    assert abs(hits[1].distance_km - 3.0) < 0.05


def test_expired_and_closed_postings_are_not_found(monday, zhu_hong):
    gig = actions.gig_post(actor=zhu_hong, data=gig_form(valid_until="2026-11-03"))
    monday.move_to(dt.datetime(2026, 11, 4, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    assert search_gigs(latitude=CHUNXI[0], longitude=CHUNXI[1], radius_km=5) == []
    assert Client().get(f"/flexible/gigs/{gig.pk}/").status_code == 404
    other = actions.gig_post(actor=zhu_hong, data=gig_form())
    actions.gig_close(actor=zhu_hong, gig=other)
    assert search_gigs(latitude=CHUNXI[0], longitude=CHUNXI[1], radius_km=5) == []


def test_hard_to_place_workers_come_first_where_the_region_chooses(monday, zhu_hong, wang_fang):
    gig = actions.gig_post(actor=zhu_hong, data=gig_form(latitude=str(NEAR[0]), longitude=str(NEAR[1])))
    close = worker("w1", "孙近", lat=NEAR[0], lng=NEAR[1])
    older = worker("w2", "周远", tiers=["older"])
    worker("w3", "吴技", skills=["cleaning"])  # another skill: not matched
    assert [m.profile.user for m in match_workers(gig)] == [close, older]
    client = sign_in(Client(), wang_fang)
    client.post("/flexible/workbench/", {"op": "setting", "priority": "1"})
    assert [m.profile.user for m in match_workers(gig)] == [older, close]
    page = client.get("/flexible/workbench/workers/").content.decode()
    assert "周远" in page and "大龄人员" in page and "孙近" not in page


def test_reports_lead_to_blocking_and_a_blocked_account_cannot_post_or_take(monday, zhu_hong, zhao_jianguo, wang_fang):
    gig = actions.gig_post(actor=zhu_hong, data=gig_form())
    reporter = sign_in(Client(), zhao_jianguo)
    reporter.post(f"/flexible/gigs/{gig.pk}/", {"op": "report", "reason": "fee", "detail": "要求先交200元押金"})
    report = Report.objects.get()
    assert report.target == zhu_hong and report.region_code == "510104"
    officer = sign_in(Client(), wang_fang)
    assert "要求先交200元押金" in officer.get("/flexible/workbench/reports/").content.decode()
    officer.post("/flexible/workbench/reports/", {"op": "block", "report": report.pk, "note": "核实收取押金"})
    report.refresh_from_db()
    gig.refresh_from_db()
    assert report.status == Report.Status.BLOCKED and gig.status == Gig.Status.BLOCKED
    with pytest.raises(DomainError, match="暂停使用"):
        actions.gig_post(actor=zhu_hong, data=gig_form())
    block = Block.objects.get()
    officer.post("/flexible/workbench/reports/", {"op": "lift", "block": block.pk})
    block.refresh_from_db()
    assert block.lifted_at is not None
    actions.gig_post(actor=zhu_hong, data=gig_form())


def test_service_zones_are_managed_by_staff_and_shown_on_the_portal(monday, wang_fang, chen_gang):
    officer = sign_in(Client(), wang_fang)
    data = {
        "name": "锦江区零工驿站",
        "region_code": "510104",
        "office": "锦江区公共就业服务中心",
        "address": "成都市锦江区东大街1号",
        "latitude": "30.65",
        "longitude": "104.08",
        "opening_hours": "周一至周五 8:30–17:30",
        "hotline": "028-12333",
        "complaint_channel": "12333热线或专区意见箱",
        "is_active": "1",
    }
    officer.post("/flexible/workbench/zones/", data)
    zone = ServiceZone.objects.get()
    assert "周一至周五 8:30–17:30" in Client().get("/flexible/zones/").content.decode()
    officer.post("/flexible/workbench/zones/", {**data, "zone": zone.pk, "opening_hours": "每天 7:00–19:00"})
    page = Client().get("/flexible/zones/").content.decode()
    assert "每天 7:00–19:00" in page and "028-12333" in page
    # Another district's officer cannot change it, nor create one outside their district.
    other = sign_in(Client(), chen_gang)
    assert other.post("/flexible/workbench/zones/", {**data, "zone": zone.pk}).status_code == 404
    other.post("/flexible/workbench/zones/", data)
    assert ServiceZone.objects.count() == 1
    # Closed zones leave the portal.
    officer.post("/flexible/workbench/zones/", {**data, "zone": zone.pk, "is_active": ""})
    assert "锦江区零工驿站" not in Client().get("/flexible/zones/").content.decode()


def test_statistics_and_the_vacancies_to_seekers_ratio(monday, zhu_hong, zhao_jianguo):
    gig = actions.gig_post(actor=zhu_hong, data=gig_form(headcount="3"))  # 住宿和餐饮业
    actions.gig_post(actor=zhu_hong, data=gig_form(job_type="cleaning", headcount="1"))  # 居民服务
    worker("w1", "孙近")
    worker("w2", "周远", skills=["kitchen", "cleaning"], tiers=["older"])
    engagement = actions.gig_take(actor=zhao_jianguo, gig=gig)
    actions.engagement_confirm(actor=zhu_hong, engagement=engagement)
    actions.engagement_complete(actor=zhao_jianguo, engagement=engagement)
    actions.engagement_complete(actor=zhu_hong, engagement=engagement)
    stats = market_statistics("510104")
    assert stats["postings"] == 2 and stats["placements"] == 1
    by_industry = {row.key: (row.vacancies, row.seekers, row.ratio) for row in stats["by_industry"]}
    from decimal import Decimal

    assert by_industry["H"] == (2, 2, Decimal("1.00"))  # 3 places, 1 taken; both workers cook
    assert by_industry["O"] == (1, 1, Decimal("1.00"))
    assert (stats["total"].vacancies, stats["total"].seekers, stats["total"].ratio) == (3, 2, Decimal("1.50"))
    page = Client().get("/flexible/statistics/").content.decode()
    assert '<dd id="ratio">1.50</dd>' in page and '<dd id="placements">1</dd>' in page
    assert Engagement.objects.get().status == Engagement.Status.COMPLETED


def test_rating_is_between_one_and_five(monday, zhu_hong, zhao_jianguo):
    gig = actions.gig_post(actor=zhu_hong, data=gig_form())
    engagement = actions.gig_take(actor=zhao_jianguo, gig=gig)
    actions.engagement_confirm(actor=zhu_hong, engagement=engagement)
    actions.engagement_complete(actor=zhao_jianguo, engagement=engagement)
    actions.engagement_complete(actor=zhu_hong, engagement=engagement)
    with pytest.raises(FieldValueError, match="评分"):
        actions.engagement_rate(actor=zhao_jianguo, engagement=engagement, score="6")


def test_strangers_and_other_districts_do_not_see_an_engagement(monday, zhu_hong, zhao_jianguo, li_xiaoyu, chen_gang):
    gig = actions.gig_post(actor=zhu_hong, data=gig_form())
    engagement = actions.gig_take(actor=zhao_jianguo, gig=gig)
    for user in (li_xiaoyu, chen_gang):
        assert sign_in(Client(), user).get(f"/flexible/engagements/{engagement.pk}/").status_code == 404
    with pytest.raises(DomainError, match="不是该订单的当事人"):
        actions.engagement_complete(actor=li_xiaoyu, engagement=engagement)


def test_a_rights_request_outside_the_market_takes_the_normal_time_limit(monday, zhao_jianguo):
    from chuangye.cases.deadlines import local_date
    from chuangye.cases.models import Case

    client = sign_in(Client(), zhao_jianguo)
    client.post(
        "/flexible/me/rights/",
        {"form_key": "r1", "kind": "injury", "respondent_name": "某装修队", "description": "搬运时扭伤腰部"},
    )
    case = Case.objects.get()
    assert not case.rights_request.green_channel
    assert local_date(case.due_at) == dt.date(2026, 11, 23)  # 15 working days
    client.post(
        "/flexible/me/rights/",
        {"form_key": "r2", "kind": "wages", "respondent_name": "某装修队", "description": "工钱800元未结"},
    )
    wages = Case.objects.exclude(pk=case.pk).get()
    assert wages.rights_request.green_channel and local_date(wages.due_at) == dt.date(2026, 11, 9)


def test_the_search_api_is_public_and_validates_its_input(monday, zhu_hong, zhao_jianguo):
    gig = actions.gig_post(actor=zhu_hong, data=gig_form())
    response = Client().get(
        "/api/v1/flexible/gigs/search",
        {"latitude": CHUNXI[0], "longitude": CHUNXI[1], "radius": "5", "job_type": "kitchen", "date": "2026-11-07"},
    )
    assert response.status_code == 200
    [row] = response.json()
    assert row["id"] == gig.pk and row["job_type_label"] == "后厨帮工" and abs(row["distance_km"] - 3.0) < 0.05
    assert row["pay"] == "200.00"
    response = Client().get("/api/v1/flexible/gigs/search", {"latitude": "x", "longitude": "104"})
    assert response.status_code == 422 and "位置坐标" in response.json()["message"]
    assert Client().get("/api/v1/flexible/engagements").status_code == 401
    actions.gig_take(actor=zhao_jianguo, gig=gig)
    mine = sign_in(Client(), zhao_jianguo).get("/api/v1/flexible/engagements").json()
    assert [e["gig_id"] for e in mine] == [gig.pk]


def test_demo_seed_is_idempotent(db):
    from chuangye.demo.accounts import seed_accounts
    from chuangye.flexible import demo

    seed_accounts()
    first = demo.seed()
    assert "新增零工服务专区 2 个" in first
    counts = (ServiceZone.objects.count(), Gig.objects.count())
    assert "未新增" in demo.seed()
    assert (ServiceZone.objects.count(), Gig.objects.count()) == counts


def test_staff_of_another_district_do_not_see_who_took_a_published_gig(
    monday, zhu_hong, zhao_jianguo, chen_gang, wang_fang
):
    gig = actions.gig_post(actor=zhu_hong, data=gig_form())
    actions.gig_take(actor=zhao_jianguo, gig=gig)
    assert "接单情况" not in sign_in(Client(), chen_gang).get(f"/flexible/gigs/{gig.pk}/").content.decode()
    assert "接单情况" in sign_in(Client(), wang_fang).get(f"/flexible/gigs/{gig.pk}/").content.decode()
