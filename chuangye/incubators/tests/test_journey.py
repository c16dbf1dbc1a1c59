"""The "done means" journey through the real pages: a carrier with desks → 李晓雨 applies and sees her score →
the operator 马超 allocates respecting the key-group reserve → contract with free rent and incubation period →
move-in. And who may see and act on what."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from chuangye.accounts.testing import sign_in
from chuangye.cases.access import cases_for
from chuangye.cases.models import Case
from chuangye.incubators.models import Contract, Space, SpaceApplication
from chuangye.incubators.testing import apply_for_desk, certify, make_carrier, make_founder, make_operator

pytestmark = pytest.mark.django_db
NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOON, tick=False):
        yield


def test_a_founder_applies_for_and_receives_a_free_desk_through_the_pages(li_xiaoyu, ma_chao, chen_gang, base):
    certify(li_xiaoyu.person, "graduate")
    founder = sign_in(Client(), li_xiaoyu)

    page = founder.get(f"/incubators/carriers/{base.pk}/apply/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "重点群体：高校毕业生" in text and "30 分" in text  # the score preview with the weight shown
    assert "高校毕业生" in text

    response = founder.post(
        f"/incubators/carriers/{base.pk}/apply/",
        {
            "form_key": "k1",
            "space_kind": "desk",
            "project_name": "校园二手书循环平台",
            "project_summary": "回收毕业生旧教材，低价转售给新生，并提供线上预约。",
            "planned_jobs": "3",
            "months_requested": "24",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(applicant_user=li_xiaoyu, case_type="incubators.space")
    assert response["Location"] == f"/me/cases/{case.pk}/"
    application = case.incubator_application
    # 30 (graduate) + 3 jobs × 2 + 10 first business
    assert application.score == 46
    assert [line["points"] for line in application.score_breakdown] == [30, 6, 10]
    mine = founder.get(f"/me/cases/{case.pk}/").content.decode()
    assert "优先分：46 分" in mine and "计划带动就业3人" in mine

    # The operator sees the application on the workbench and allocates desk D01.
    operator = sign_in(Client(), ma_chao)
    queue = operator.get("/incubators/manage/").content.decode()
    assert case.number in queue
    page = operator.get(f"/incubators/manage/applications/{application.pk}/")
    assert page.status_code == 200 and "分配场地并签订入孵协议" in page.content.decode()
    d01 = base.spaces.get(code="D01")
    response = operator.post(
        f"/incubators/manage/applications/{application.pk}/",
        {"action": "allocate", "space": d01.pk, "start_date": "2026-03-02", "version": case.version},
    )
    assert response.status_code == 302, response.content.decode()
    contract = Contract.objects.get(application=application)
    assert response["Location"] == f"/incubators/manage/contracts/{contract.pk}/"
    assert contract.free_rent and contract.monthly_rent == 0 and contract.key_group
    assert (contract.start_date, contract.end_date) == (dt.date(2026, 3, 2), dt.date(2028, 3, 2))
    case.refresh_from_db()
    assert case.state == "allocated"
    d01.refresh_from_db()
    assert d01.status == Space.Status.OCCUPIED

    response = operator.post(f"/incubators/manage/contracts/{contract.pk}/", {"action": "move_in", "on": "2026-03-02"})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == Contract.Status.IN_INCUBATION and contract.moved_in_on == dt.date(2026, 3, 2)

    # The founder sees the contract, free of rent, and the officer's case page shows the payload.
    page = founder.get("/incubators/me/").content.decode()
    assert contract.number in page and "免收租金" in page
    assert "免收租金" in founder.get(f"/incubators/me/contracts/{contract.pk}/").content.decode()
    officer_page = sign_in(Client(), chen_gang).get(f"/workbench/cases/{case.pk}/")
    assert officer_page.status_code == 200 and "优先分：46 分" in officer_page.content.decode()


def test_the_bare_allocate_transition_is_refused_without_a_space(li_xiaoyu, chen_gang, base):
    case = apply_for_desk(li_xiaoyu, base)
    response = sign_in(Client(), chen_gang).post(
        f"/workbench/cases/{case.pk}/", {"action": "allocate", "version": case.version}
    )
    assert response.status_code == 422
    assert "选择具体场地" in response.content.decode()
    case.refresh_from_db()
    assert case.state == "submitted"


def test_the_reserve_refuses_a_non_key_group_applicant_on_the_page(zhao_jianguo, ma_chao):
    small = make_carrier(ma_chao, government_funded=True, desks=2, name="小型孵化点")  # 15% of 2 → keep 1
    others = [make_founder(n) for n in range(2)]
    first = apply_for_desk(others[0], small).incubator_application
    from chuangye.incubators.actions import application_allocate

    application_allocate(actor=ma_chao, application=first, space_id=small.spaces.get(code="D01").pk)
    second = apply_for_desk(zhao_jianguo, small).incubator_application
    response = sign_in(Client(), ma_chao).post(
        f"/incubators/manage/applications/{second.pk}/",
        {"action": "allocate", "space": small.spaces.get(code="D02").pk, "version": second.case.version},
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "须为重点群体保留不少于15%的场地" in text and "保留1个" in text
    assert not Contract.objects.filter(application=second).exists()
    second.refresh_from_db()
    assert second.space_id is None and second.case.state == "submitted"


def test_passing_over_a_higher_score_needs_a_written_reason(li_xiaoyu, zhao_jianguo, ma_chao, base):
    certify(li_xiaoyu.person, "graduate")
    high = apply_for_desk(li_xiaoyu, base).incubator_application
    low = apply_for_desk(zhao_jianguo, base).incubator_application
    assert high.score > low.score
    from chuangye.core.errors import FieldValueError
    from chuangye.incubators.actions import application_allocate

    desk = base.spaces.get(code="D01")
    with pytest.raises(FieldValueError, match="排序在前"):
        application_allocate(actor=ma_chao, application=low, space_id=desk.pk)
    contract = application_allocate(actor=ma_chao, application=low, space_id=desk.pk, reason="项目需要临近车间")
    assert contract.application.skip_reason == "项目需要临近车间"
    assert not contract.free_rent and contract.monthly_rent == 300


def test_operators_see_and_act_only_on_their_own_carriers(li_xiaoyu, ma_chao, base):
    case = apply_for_desk(li_xiaoyu, base)
    application = case.incubator_application
    rival = make_operator("rival", "510107", name="周强", org_name="另一家孵化器")
    make_carrier(rival, desks=1, name="另一家孵化基地")
    assert list(cases_for(ma_chao)) == [case]
    assert list(cases_for(rival)) == []
    outsider = sign_in(Client(), rival)
    assert outsider.get(f"/incubators/manage/applications/{application.pk}/").status_code == 404
    assert outsider.get(f"/incubators/manage/carriers/{base.pk}/").status_code == 404
    response = outsider.post(
        f"/incubators/manage/applications/{application.pk}/",
        {"action": "allocate", "space": base.spaces.first().pk},
    )
    assert response.status_code == 404
    assert not SpaceApplication.objects.get(pk=application.pk).space_id


def test_waitlisting_stops_the_clock_and_the_rank_is_shown(li_xiaoyu, zhao_jianguo, ma_chao, base):
    certify(li_xiaoyu.person, "graduate")
    apply_for_desk(li_xiaoyu, base)
    case = apply_for_desk(zhao_jianguo, base)
    assert case.due_at is not None
    operator = sign_in(Client(), ma_chao)
    response = operator.post(
        f"/incubators/manage/applications/{case.incubator_application.pk}/",
        {"action": "waitlist", "comment": "暂无工位"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "waitlisted" and case.due_at is None
    page = sign_in(Client(), zhao_jianguo).get("/incubators/me/").content.decode()
    assert re.search(r"第 2 位", page)


def test_bad_input_names_the_field_and_saves_nothing(li_xiaoyu, base):
    founder = sign_in(Client(), li_xiaoyu)
    response = founder.post(
        f"/incubators/carriers/{base.pk}/apply/",
        {
            "space_kind": "desk",
            "project_name": "项目",
            "project_summary": "足够长的项目简介内容",
            "months_requested": "48",
        },
    )
    assert response.status_code == 422
    assert "「申请孵化期（月）」不能大于36" in response.content.decode()
    assert not Case.objects.filter(case_type="incubators.space").exists()


def test_the_tenant_can_exit_early_and_the_desk_is_free_again(li_xiaoyu, ma_chao, base):
    from chuangye.incubators.actions import application_allocate, contract_move_in

    application = apply_for_desk(li_xiaoyu, base).incubator_application
    contract = application_allocate(actor=ma_chao, application=application, space_id=base.spaces.get(code="D01").pk)
    contract_move_in(actor=ma_chao, contract=contract)
    founder = sign_in(Client(), li_xiaoyu)
    response = founder.post(f"/incubators/me/contracts/{contract.pk}/", {"action": "exit", "reason": "项目转型"})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == Contract.Status.EXITED and contract.exit_reason == "项目转型"
    assert base.spaces.get(code="D01").status == Space.Status.AVAILABLE


def test_only_the_bureau_changes_the_level_and_funding(ma_chao, chen_gang, base):
    form = {
        "action": "update",
        "level": "national",
        "total_area": "2500.00",
        "services": "创业指导,法律咨询",
        "staff_count": "7",
        "mentor_count": "15",
    }
    assert sign_in(Client(), ma_chao).post(f"/incubators/manage/carriers/{base.pk}/", form).status_code == 302
    base.refresh_from_db()
    assert base.level == "city" and base.government_funded  # the operator's form cannot change these
    assert base.services == ["创业指导", "法律咨询"] and base.mentor_count == 15
    assert sign_in(Client(), chen_gang).post(f"/incubators/manage/carriers/{base.pk}/", form).status_code == 302
    base.refresh_from_db()
    assert base.level == "national" and not base.government_funded  # unticked by the officer
    bad = sign_in(Client(), chen_gang).post(f"/incubators/manage/carriers/{base.pk}/", form | {"total_area": "-1"})
    assert bad.status_code == 422 and "「总面积」必须大于零" in bad.content.decode()


def test_an_officer_registers_a_carrier_run_by_an_operator_of_the_region(ma_chao, chen_gang, wang_fang):
    form = {
        "name": "武侯区小微企业创业创新示范基地",
        "kind": "small_micro",
        "level": "provincial",
        "operator": str(ma_chao.organisation_id),
        "region_code": "510107",
        "government_funded": "on",
        "total_area": "1800.50",
        "services": "创业指导，融资对接",
    }
    response = sign_in(Client(), chen_gang).post("/incubators/manage/carriers/new/", form)
    assert response.status_code == 302
    from chuangye.incubators.models import Carrier

    carrier = Carrier.objects.get(name=form["name"])
    assert (carrier.kind, carrier.level, carrier.operator_id) == ("small_micro", "provincial", ma_chao.organisation_id)
    assert carrier.services == ["创业指导", "融资对接"] and carrier.government_funded
    # 王芳 of 锦江区 cannot register a carrier in 武侯区.
    refused = sign_in(Client(), wang_fang).post("/incubators/manage/carriers/new/", form | {"name": "越界登记"})
    assert refused.status_code == 422 and "不在您的管辖范围内" in refused.content.decode()
    assert not Carrier.objects.filter(name="越界登记").exists()
