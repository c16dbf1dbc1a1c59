"""Quality: indicators from the data compared with the demonstration criteria, surveys and the annual evaluation;
and the shared-resources board."""

import datetime as dt
from fractions import Fraction

import pytest
import time_machine
from django.test import Client

from chuangye.accounts.testing import sign_in
from chuangye.core.errors import ConflictError, DomainError
from chuangye.incubators.actions import (
    application_allocate,
    board_post_create,
    carrier_event_add,
    contract_end,
    contract_move_in,
    equipment_add,
    evaluation_record,
    survey_submit,
)
from chuangye.incubators.models import Evaluation
from chuangye.incubators.selectors import board_search, evaluation_rows
from chuangye.incubators.testing import apply_for_desk, make_carrier, make_founder, make_operator
from chuangye.policies.actions import parameter_override_create

pytestmark = pytest.mark.django_db
BEIJING = dt.timezone(dt.timedelta(hours=8))


def _tenant(n, carrier, operator, moved_in):
    founder = make_founder(n)
    application = apply_for_desk(founder, carrier, planned_jobs="0").incubator_application
    desk = carrier.spaces.filter(status="available").first()
    with time_machine.travel(dt.datetime.combine(moved_in, dt.time(10), tzinfo=BEIJING), tick=False):
        contract = application_allocate(actor=operator, application=application, space_id=desk.pk, reason="按序分配")
        contract_move_in(actor=operator, contract=contract)
    return founder, contract


def test_indicators_and_the_annual_evaluation(ma_chao, chen_gang, base):
    tenants = [_tenant(n, base, ma_chao, dt.date(2025, 3, 1)) for n in range(4)]
    with time_machine.travel(dt.datetime(2026, 6, 30, 10, tzinfo=BEIJING), tick=False):
        contract_end(actor=ma_chao, contract=tenants[0][1], outcome="graduated", jobs_created=6)
        contract_end(actor=tenants[1][0], contract=tenants[1][1], outcome="exited", reason="回乡发展")
        for n, (founder, contract) in enumerate(tenants):
            survey_submit(actor=founder, contract=contract, data={"rating": str(5 - n)})
        with pytest.raises(ConflictError):
            survey_submit(actor=tenants[0][0], contract=tenants[0][1], data={"rating": "5"})
        carrier_event_add(actor=ma_chao, carrier=base, data={"title": "创业沙龙", "held_on": "2026-05-01"})
        values, rows = evaluation_rows(base, 2026)
        by_key = {row["key"]: row for row in rows}
        assert values["utilisation"] == Fraction(2, 10)  # 2 of 10 equal desks still occupied
        assert values["entities"] == 4
        assert values["success_rate"] == Fraction(1, 2)
        assert values["on_time_rate"] == 1
        assert values["jobs_created"] == 6
        assert values["satisfaction"] == Fraction(2, 4)  # ratings 5, 4, 3, 2
        assert by_key["utilisation"]["threshold"] == Fraction(80, 100) and not by_key["utilisation"]["passed"]
        assert by_key["on_time_rate"]["passed"] and by_key["mentors"]["passed"] and by_key["staff"]["passed"]
        assert "待核" in by_key["utilisation"]["source"]

        with pytest.raises(DomainError):
            evaluation_record(actor=ma_chao, carrier=base, year=2026, conclusion="运营方自评不算")
        page = sign_in(Client(), chen_gang).post(
            f"/incubators/manage/carriers/{base.pk}/",
            {"action": "evaluate", "year": "2026", "conclusion": "利用率偏低，需加强招商。"},
        )
        assert page.status_code == 302
        evaluation = Evaluation.objects.get(carrier=base, year=2026)
        assert not evaluation.meets_criteria
        assert evaluation.indicators["indicators"]["success_rate"] == "1/2"
        shown = sign_in(Client(), chen_gang).get(f"/incubators/manage/carriers/{base.pk}/?year=2026").content.decode()
        assert "未达到示范标准" in shown and "孵化成功率" in shown and "50%" in shown


def test_a_regional_share_overrides_the_national_default(ma_chao, chen_gang, base):
    from chuangye.incubators.selectors import reserve_of

    assert reserve_of(base).reserved == 2  # 15% of 10
    parameter_override_create(
        actor=chen_gang,
        name="incubators.key_group_free_share",
        region_code="510107",
        value="30%",
        effective_from=dt.date(2025, 1, 1),
        document_number="武人社发〔2025〕1号",
    )
    reserve = reserve_of(base)
    assert reserve.reserved == 3 and "武人社发〔2025〕1号" in reserve.source


def test_the_board_searches_across_carriers_and_regions(li_xiaoyu, ma_chao, base):
    jinjiang = make_operator("jj_op", "510104", name="刘洋")
    other = make_carrier(jinjiang, desks=1, name="锦江区返乡创业园")
    equipment_add(actor=jinjiang, carrier=other, data={"name": "激光雕刻机"})
    equipment_add(actor=ma_chao, carrier=base, data={"name": "3D打印机"})
    board_post_create(
        actor=li_xiaoyu,
        data={
            "kind": "project",
            "title": "寻找农产品电商合伙人",
            "body": "已有稳定货源，寻找擅长直播运营的合伙人。",
            "region_code": "510104",
            "contact": "微信 lxy2024",
        },
    )
    board_post_create(
        actor=ma_chao,
        data={
            "kind": "site",
            "carrier": str(base.pk),
            "title": "路演厅对外开放",
            "body": "每周三下午可免费预约使用路演厅。",
            "contact": "028-00000000",
        },
    )
    found = board_search(region="510100")  # the city covers both districts
    assert {e.name for e in found["equipment"]} == {"激光雕刻机", "3D打印机"}
    assert len(found["projects"]) == 1 and len(found["sites"]) == 1 and len(found["spaces"]) == 11
    only_wuhou = board_search(region="510107")
    assert [e.name for e in only_wuhou["equipment"]] == ["3D打印机"] and only_wuhou["projects"] == []
    assert [p.title for p in board_search(query="电商")["projects"]] == ["寻找农产品电商合伙人"]
    page = Client().get("/incubators/board/", {"q": "打印", "kind": "equipment"}).content.decode()
    assert "3D打印机" in page and "激光雕刻机" not in page
    with pytest.raises(DomainError, match="所属载体"):
        board_post_create(
            actor=li_xiaoyu,
            data={"kind": "site", "title": "我家车库出租", "body": "车库可作为仓库使用，面积20平方米", "contact": "x1"},
        )
