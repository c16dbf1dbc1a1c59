"""The fixed fixture every KPI test counts by hand (STYLE.md: named people).

March 2026, registry (锦江区 510104, 武侯区 510107, 自贡市自流井区 510302):
- registered in March: 钱一, 孙二, 周三 (锦江区), 吴四, 郑五 (武侯区), 冯六 (自流井区); 陈旧 was registered in
  January (锦江区).
- statuses decided in March and certified: 钱一 graduate, 孙二 returning_migrant (valid only from 2026-04-01), 郑五
  graduate; 吴四 graduate but expired on 2025-12-31 (decided in 2025); 周三 graduate revoked in March; 冯六 pending.
- businesses registered in March: 钱一's and 周三's 锦江区 shop (钱一 counts: status in force; 周三's revoked status
  does not), 孙二's 锦江区 studio (his status starts after the registration date: not counted), 吴四's and 郑五's
  武侯区 company (郑五 counts; 吴四's status had expired).
Cases in March 2026: 锦江区 received 2 (one on time, one late), one more decided (received in February, no time
limit); 武侯区 received 1, undecided.
Loans (2025): 李晓雨 200,000.00 and 赵建国 100,000.00, individual, 锦江区; interest for the June period is repaid by
李晓雨 only; a paid subsidy batch in July; a compensation of 50,000.00 paid for 赵建国's loan in December (entered
directly: the default path is the loans app's own tests' business).
Policies (February 2026): two 免申即享 grants confirmed (5,000.00 in 锦江区, 3,000.00 in 武侯区), one pending in
锦江区; scan matches: 钱一 and 郑五 eligible, 孙二 no longer eligible.
Incubators (2025), a 锦江区 carrier: tenancies graduated (3 jobs), exited early (1 job), in incubation (2 jobs),
and one signed but never moved in.
"""

import datetime as dt
from decimal import Decimal
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from chuangye.accounts.models import Role
from chuangye.accounts.testing import make_user
from chuangye.cases.models import Case
from chuangye.core.ids import build_credit_code, encode_org_body, generate_resident_id
from chuangye.registry.models import Business, Founder, KeyGroupCategory, KeyGroupStatus, Person

TZ = ZoneInfo("Asia/Shanghai")
_seq = count(100)


def at(day: str, time: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=TZ)


def person(name: str, region: str, created: str, sex: str = "M") -> Person:
    with time_machine.travel(at(created), tick=False):
        p = Person(name=name, sex=sex, birth_date=dt.date(1995, 5, 5), hukou_region_code=region, region_code=region)
        p.set_id_number(generate_resident_id(region, dt.date(1995, 5, 5), sex, next(_seq) % 450 + 40))
        p.save()
    return p


def status(p: Person, code: str, state: str, valid_from: str, valid_to: str | None, decided: str | None) -> Any:
    return KeyGroupStatus.objects.create(
        person=p,
        category=KeyGroupCategory.objects.get(code=code),
        state=state,
        valid_from=dt.date.fromisoformat(valid_from),
        valid_to=dt.date.fromisoformat(valid_to) if valid_to else None,
        region_code=p.region_code,
        decided_at=at(decided) if decided else None,
    )


def business(name: str, region: str, registered: str, founders: list[Person], kind: str = "individual") -> Business:
    code = build_credit_code("9", "2", region, encode_org_body(next(_seq), prefix="RP"))
    b = Business.objects.create(
        credit_code=code,
        name=name,
        kind=kind,
        legal_representative=founders[0],
        registered_on=dt.date.fromisoformat(registered),
        region_code=region,
        industry="H",
    )
    for f in founders:
        Founder.objects.create(business=b, person=f, role="operator" if kind == "individual" else "shareholder")
    return b


def case(number: str, region: str, submitted: str, decided: str | None, due: str | None, **extra: Any) -> Case:
    return Case.objects.create(
        number=number,
        case_type=extra.pop("case_type", "registration.establish"),
        state=extra.pop("state", "approved" if decided else "submitted"),
        accepting_region=region,
        region_code=region,
        service_mode="online",
        submitted_at=at(submitted),
        decided_at=at(decided, "16:00") if decided else None,
        due_at=at(due, "17:00") if due else None,
        **extra,
    )


@pytest.fixture
def registry_world(db: Any) -> dict[str, Any]:
    old = person("陈旧", "510104", "2026-01-15")
    qian = person("钱一", "510104", "2026-03-02")
    sun = person("孙二", "510104", "2026-03-03")
    zhou = person("周三", "510104", "2026-03-04")
    wu = person("吴四", "510107", "2026-03-05")
    zheng = person("郑五", "510107", "2026-03-06")
    feng = person("冯六", "510302", "2026-03-07")
    status(qian, "graduate", "certified", "2025-07-01", None, "2026-03-05")
    status(sun, "returning_migrant", "certified", "2026-04-01", None, "2026-03-06")
    status(zheng, "graduate", "certified", "2025-07-01", "2027-06-30", "2026-03-09")
    status(wu, "graduate", "certified", "2024-01-01", "2025-12-31", "2025-02-01")
    status(zhou, "graduate", "revoked", "2025-07-01", None, "2026-03-08")
    status(feng, "graduate", "pending", "2026-03-01", None, None)
    # A second, rejected declaration of 钱一: neither a certification nor a group his founding counts under.
    status(qian, "new_citizen", "rejected", "2025-07-01", None, "2026-03-07")
    business("钱一周三小吃店", "510104", "2026-03-10", [qian, zhou])
    business("孙二工作室", "510104", "2026-03-15", [sun])
    business("吴郑科技有限公司", "510107", "2026-03-20", [wu, zheng], kind="enterprise")
    business("旧店", "510104", "2026-02-10", [old])
    return {"people": {p.name: p for p in (old, qian, sun, zhou, wu, zheng, feng)}}


@pytest.fixture
def case_world(db: Any) -> None:
    case("T-1", "510104", "2026-03-02", "2026-03-05", "2026-03-10")
    case("T-2", "510104", "2026-03-03", "2026-03-20", "2026-03-12")
    case("T-3", "510107", "2026-03-04", None, "2026-03-18")
    case("T-4", "510104", "2026-02-25", "2026-03-01", None, case_type="policy.grant", state="granted")


@pytest.fixture
def loan_world(li_xiaoyu: Any, zhao_jianguo: Any, wang_fang: Any, huang_lei: Any) -> dict[str, Any]:
    from chuangye.loans.actions import loan_repay
    from chuangye.loans.models import CompensationClaim
    from chuangye.loans.subsidy import subsidy_batch_create, subsidy_batch_pay, subsidy_claim_file, subsidy_claim_review
    from chuangye.loans.testing import apply, approve, certify, disburse, make_guarantor

    guarantor = make_guarantor("xutao_rp")
    certify(li_xiaoyu.person)
    certify(zhao_jianguo.person, "returning_migrant", since=dt.date(2024, 1, 1))
    with time_machine.travel(at("2025-06-03"), tick=False):
        li_case = approve(apply(li_xiaoyu, huang_lei), wang_fang, guarantor, huang_lei)
        zhao_case = approve(
            apply(zhao_jianguo, huang_lei, requested_amount="100000.00"), wang_fang, guarantor, huang_lei
        )
    with time_machine.travel(at("2025-06-10"), tick=False):
        li_loan = disburse(li_case, huang_lei)
        zhao_loan = disburse(zhao_case, huang_lei, principal="100000.00")
    with time_machine.travel(at("2025-06-20"), tick=False):
        loan_repay(actor=huang_lei, loan=li_loan, paid_on=dt.date(2025, 6, 20), principal="0", interest="166.67")
    supervisor = make_user("liumin_rp", Role.SUPERVISOR, region_code="510104", real_name="刘敏")
    with time_machine.travel(at("2025-07-02"), tick=False):
        claim = subsidy_claim_file(actor=huang_lei, year=2025, quarter=2)[0]
        subsidy_claim_review(actor=wang_fang, claim=claim, approve=True)
        batch = subsidy_batch_create(actor=wang_fang, region_code=claim.region_code, claims=[claim])
    with time_machine.travel(at("2025-07-05"), tick=False):
        subsidy_batch_pay(actor=supervisor, batch=batch)
    claim.refresh_from_db()
    CompensationClaim.objects.create(
        loan=zhao_loan,
        filed_on=dt.date(2025, 12, 1),
        days_overdue=95,
        principal_outstanding=Decimal("100000.00"),
        interest_outstanding=Decimal("0.00"),
        share=Decimal("0.5"),
        share_source="测试",
        principal_part=Decimal("50000.00"),
        interest_part=Decimal("0.00"),
        amount=Decimal("50000.00"),
        state=CompensationClaim.State.PAID,
        decided_at=at("2025-12-05"),
    )
    return {"loans": [li_loan, zhao_loan], "claim": claim}


@pytest.fixture
def policy_world(registry_world: dict[str, Any]) -> None:
    from chuangye.policies.models import Decision, PolicyMatch, ProactiveGrant

    people = registry_world["people"]

    def grant(number: str, p: Person, amount: str, state: str) -> None:
        c = case(
            number,
            p.region_code,
            "2026-02-20",
            "2026-02-25" if state == "granted" else None,
            None,
            case_type="policy.grant",
            state=state,
        )
        decision = Decision.objects.create(
            policy_code="subsidy.startup_once",
            on=dt.date(2026, 2, 20),
            region_code=p.region_code,
            facts={},
            eligible=True,
            amount=Decimal(amount),
            criteria=[],
            parameters=[],
            engine_version="test",
        )
        ProactiveGrant.objects.create(
            case=c,
            person=p,
            policy_code="subsidy.startup_once",
            amount=Decimal(amount),
            found_on=dt.date(2026, 2, 20),
            decision=decision,
        )

    grant("G-1", people["钱一"], "5000.00", "granted")
    grant("G-2", people["郑五"], "3000.00", "granted")
    grant("G-3", people["孙二"], "5000.00", "pending")
    for p, eligible in ((people["钱一"], True), (people["郑五"], True), (people["孙二"], False)):
        PolicyMatch.objects.create(
            person=p,
            policy_code="subsidy.startup_once",
            region_code=p.region_code,
            eligible=eligible,
            amount=Decimal("5000.00") if eligible else None,
            decided_on=dt.date(2026, 2, 10),
            changed_at=at("2026-02-10"),
        )


@pytest.fixture
def incubator_world(registry_world: dict[str, Any]) -> Any:
    from chuangye.incubators.models import Contract, SpaceApplication
    from chuangye.incubators.testing import make_carrier, make_operator

    people = registry_world["people"]
    operator = make_operator("machao_rp", "510104")
    carrier = make_carrier(operator, desks=4)
    spaces = list(carrier.spaces.order_by("code"))
    plan = [
        ("钱一", "2025-02-01", "2025-11-30", "graduated", 3),
        ("孙二", "2025-05-01", "2025-08-31", "exited", 1),
        ("周三", "2025-09-01", None, "in_incubation", 2),
        ("陈旧", None, None, "signed", 0),
    ]
    for n, (name, moved_in, moved_out, outcome, jobs) in enumerate(plan):
        c = case(f"FH-{n}", "510104", "2024-12-01", "2024-12-10", None, case_type="incubators.space", state="allocated")
        application = SpaceApplication.objects.create(
            case=c,
            carrier=carrier,
            person=people[name],
            space_kind="desk",
            project_name=f"项目{n}",
            project_summary="测试项目",
            months_requested=24,
        )
        Contract.objects.create(
            number=f"RH-{n}",
            application=application,
            carrier=carrier,
            space=spaces[n],
            person=people[name],
            start_date=dt.date(2025, 1, 1),
            end_date=dt.date(2026, 12, 31),
            status=outcome,
            moved_in_on=dt.date.fromisoformat(moved_in) if moved_in else None,
            moved_out_on=dt.date.fromisoformat(moved_out) if moved_out else None,
            jobs_created=jobs,
        )
    return carrier


# The apps that landed later: training, the gig market and flexible employment, and an enterprise loan. ----------
#
# Training (March 2026, through the training app's own actions; 成都市 sets SYB at 1,000 元, 50 % without a start):
# - 锦江区 SYB class 16–20 March: 李晓雨 attends all five sessions and passes (certificate), 赵建国 attends two
#   (attendance counted, no certificate: 40 % < 80 %), 孙多 attends none (not counted). Claimed 23 March, public
#   notice, approved 1 April: 李晓雨's line paid 500.00 (no business yet).
# - 武侯区 SYB class of a 武侯区 school, same dates: 魏宁 attends all and passes; claimed and approved 2 April: 500.00.
# - Businesses: 李晓雨 registers one on 2026-05-10 (within six months of 20 March: started), 魏宁 on 2026-09-21
#   (the window ends on 2026-09-20: not started).
# Gig market (November 2026, the flexible app's actions): 朱红 (employer, 锦江区) publishes a kitchen gig for two on
# 2 November and a loading gig for three in 武侯区; 李晓雨 posts a 锦江区 loading gig approved on 3 November; 魏宁's
# 武侯区 posting is rejected and 孙多's still awaits review. 赵建国 (hard-to-place: long wait) completes the kitchen gig
# on 4 November, 魏宁 completes 李晓雨's gig on 5 November and takes the 武侯区 gig (not completed). 赵建国 registers
# employment online (approved 3 November); 魏宁's unemployment registration is undecided.
# Social-insurance subsidy (models): 李晓雨 1,599.99 paid 20 November 2026 (锦江区), 魏宁 300.00 paid 1 December
# (武侯区), 赵建国 500.00 approved but not yet in a paid batch.


def _travel(day: str, time: str = "10:00") -> Any:
    return time_machine.travel(at(day, time), tick=False)


@pytest.fixture
def wei_ning(db: Any) -> Any:
    from chuangye.accounts.testing import make_citizen

    return make_citizen("weining_rp", "魏宁", phone="13800000019", region_code="510107", birth="1995-02-01", sex="M")


@pytest.fixture
def sun_duo(db: Any) -> Any:
    from chuangye.accounts.testing import make_citizen

    return make_citizen("sunduo_rp", "孙多", phone="13800000029", region_code="510104", birth="1992-04-01", sex="F")


def _found(person: Person, registered: str) -> Business:
    return business(f"{person.name}创业工作室", person.region_code, registered, [person])


def _run_class(partner: Any, officer: Any, trainer: Any, trainees: dict[Any, int]) -> Any:
    """Apply, approve, enrol, record ``trainees[user]`` sessions each, assess (all pass) and complete."""
    from chuangye.cases.actions import case_transition
    from chuangye.training import actions
    from chuangye.training.testing import apply_class

    with _travel("2026-03-02"):
        klass = apply_class(partner, trainer)
    with _travel("2026-03-03"):
        case_transition(case=klass.case, action="approve", actor=officer)
    klass.refresh_from_db()
    with _travel("2026-03-10"):
        enrolments = {user: actions.enrol(actor=user, klass=klass) for user in trainees}
    for n, session in enumerate(klass.sessions.order_by("number"), start=1):
        with _travel(f"2026-03-{15 + n}", "11:00"):
            present = [e.pk for user, e in enrolments.items() if n <= trainees[user]]
            if present:
                actions.attendance_enter(actor=partner, session=session, enrolment_ids=present)
    with _travel("2026-03-20", "15:00"):
        actions.assessment_record(actor=partner, klass=klass, results={e.pk: True for e in enrolments.values()})
        actions.class_complete(actor=partner, klass=klass)
    return klass


def _pay_claim(partner: Any, officer: Any, klass: Any, approved: str) -> Any:
    from chuangye.training import actions

    with _travel("2026-03-23"):
        claim = actions.claim_submit(actor=partner, klass=klass)
        actions.claim_start_notice(actor=officer, claim=claim)
    with _travel(approved):
        actions.claim_approve(actor=officer, claim=claim)
    claim.refresh_from_db()
    return claim


@pytest.fixture
def training_world(li_xiaoyu: Any, zhao_jianguo: Any, wei_ning: Any, sun_duo: Any, wang_fang: Any, chen_gang: Any,
                   yang_fan: Any) -> dict[str, Any]:  # fmt: skip
    from chuangye.training.testing import make_institution, make_trainer, set_amount

    with _travel("2026-01-05"):
        jj_school = make_institution("sunli_rp", officer=wang_fang)
        jj_trainer = make_trainer(jj_school, wang_fang, number="JS-RP-1")
        wh_school = make_institution("wh_school_rp", "510107", officer=chen_gang, name="武侯区示例职业培训学校")
        wh_trainer = make_trainer(wh_school, chen_gang, number="JS-RP-2", name="李讲")
    set_amount(
        yang_fan,
        "SYB",
        "1000.00",
        **{"subsidy.training.startup_window_months": "6", "subsidy.training.no_startup_share": "50%"},
    )
    jj = _run_class(jj_school, wang_fang, jj_trainer, {li_xiaoyu: 5, zhao_jianguo: 2, sun_duo: 0})
    wh = _run_class(wh_school, chen_gang, wh_trainer, {wei_ning: 5})
    claims = [_pay_claim(jj_school, wang_fang, jj, "2026-04-01"), _pay_claim(wh_school, chen_gang, wh, "2026-04-02")]
    _found(li_xiaoyu.person, "2026-05-10")
    wei_business = _found(wei_ning.person, "2026-09-21")
    return {"classes": (jj, wh), "claims": claims, "wei_business": wei_business}


def _gig(region: str, job_type: str, headcount: int, title: str) -> dict[str, str]:
    return {
        "job_type": job_type,
        "title": title,
        "content": "按要求完成工作",
        "address": "成都市测试地点",
        "latitude": "30.6570",
        "longitude": "104.0810",
        "region_code": region,
        "work_date": "2026-11-07",
        "start_time": "09:00",
        "end_time": "17:00",
        "pay": "200.00",
        "pay_unit": "day",
        "settlement": "daily",
        "headcount": str(headcount),
    }


def _profile(user: Any, skills: list[str], hard: list[str]) -> Any:
    from chuangye.flexible.actions import profile_save

    return profile_save(
        actor=user,
        data={
            "skills": skills,
            "weekdays": ["1", "2", "3", "4", "5", "6", "7"],
            "latitude": "30.6570",
            "longitude": "104.0810",
            "address": "成都市测试小区",
            "hard_to_place": hard,
        },
    )


def _registration(user: Any, kind: str) -> Case:
    from chuangye.flexible.actions import registration_submit

    data = {"basis": "residence", "since": "2026-10-20", "commitment": "1"}
    if kind == "employment":
        data |= {"form": "flexible", "employer_name": "网约配送"}
    return registration_submit(actor=user, kind=kind, data=data)


@pytest.fixture
def flexible_world(li_xiaoyu: Any, zhao_jianguo: Any, wei_ning: Any, sun_duo: Any, wang_fang: Any, chen_gang: Any,
                   yang_fan: Any) -> dict[str, Any]:  # fmt: skip
    from chuangye.accounts.models import Organisation
    from chuangye.accounts.testing import make_org
    from chuangye.cases.actions import case_transition
    from chuangye.flexible import actions as fx

    org = make_org("成都示例餐饮管理有限公司", Organisation.Kind.EMPLOYER, "510104")
    zhu_hong = make_user("zhuhong_rp", Role.PARTNER, region_code="510104", org=org, real_name="朱红")
    with _travel("2026-11-02"):
        kitchen = fx.gig_post(actor=zhu_hong, data=_gig("510104", "kitchen", 2, "周末后厨帮工"))
        wuhou = fx.gig_post(actor=zhu_hong, data=_gig("510107", "loading", 3, "武侯仓库装卸"))
        li_gig = fx.gig_post(actor=li_xiaoyu, data=_gig("510104", "loading", 1, "搬家帮工"))
        wei_gig = fx.gig_post(actor=wei_ning, data=_gig("510107", "cleaning", 1, "家庭保洁"))
        fx.gig_post(actor=sun_duo, data=_gig("510104", "cleaning", 1, "保洁帮工"))
        _profile(zhao_jianguo, ["kitchen"], ["long_wait"])
        _profile(wei_ning, ["loading"], [])
        registration = _registration(zhao_jianguo, "employment")
        _registration(wei_ning, "unemployment")
    with _travel("2026-11-03"):
        fx.gig_review(actor=wang_fang, gig=li_gig, approve=True)
        fx.gig_review(actor=chen_gang, gig=wei_gig, approve=False, note="岗位信息不完整")
        case_transition(case=registration, action="approve", actor=wang_fang)
        zhao_job = fx.gig_take(actor=zhao_jianguo, gig=kitchen)
        wei_job = fx.gig_take(actor=wei_ning, gig=li_gig)
        wei_open = fx.gig_take(actor=wei_ning, gig=wuhou)
        for job, employer in ((zhao_job, zhu_hong), (wei_job, li_xiaoyu), (wei_open, zhu_hong)):
            fx.engagement_confirm(actor=employer, engagement=job)
    for day, job, employer in (("2026-11-04", zhao_job, zhu_hong), ("2026-11-05", wei_job, li_xiaoyu)):
        with _travel(day, "18:00"):
            fx.engagement_complete(actor=job.worker, engagement=job)
            fx.engagement_complete(actor=employer, engagement=job)
    _si_world(li_xiaoyu, zhao_jianguo, wei_ning)
    return {"employer": zhu_hong, "gigs": {"kitchen": kitchen, "wuhou": wuhou, "li": li_gig, "wei": wei_gig}}


def _si_world(li: Any, zhao: Any, wei: Any) -> None:
    from chuangye.flexible.models import PaymentBatch, SubsidyClaim, SubsidyEnrolment

    def claim(user: Any, region: str, amount: str, paid: str | None, number: str) -> None:
        c = case(f"SI-{number}", region, "2026-09-01", "2026-09-05", None, case_type="flexible.si_subsidy")
        enrolment = SubsidyEnrolment.objects.create(
            case=c, person=user.person, region_code=region, declared_contribution=Decimal("800.00")
        )
        batch = None
        if paid:
            batch = PaymentBatch.objects.create(
                number=f"SIB-{number}", region_code=region, status="paid", total=Decimal(amount), paid_at=at(paid)
            )
        SubsidyClaim.objects.create(
            enrolment=enrolment,
            region_code=region,
            first_month=dt.date(2026, 8, 1),
            last_month=dt.date(2026, 10, 1),
            contribution=Decimal("2400.00"),
            amount=Decimal(amount),
            status="paid" if paid else "approved",
            batch=batch,
        )

    claim(li, "510104", "1599.99", "2026-11-20", "1")
    claim(wei, "510107", "300.00", "2026-12-01", "2")
    claim(zhao, "510104", "500.00", None, "3")


@pytest.fixture
def enterprise_loan(loan_world: dict[str, Any]) -> Any:
    """赵建国's 100,000.00 loan of the loan fixture recorded as a small-enterprise loan declaring three new hires (the
    loans app's enterprise path is its own tests' business)."""
    zhao_loan = loan_world["loans"][1]
    zhao_loan.kind = "enterprise"
    zhao_loan.save(update_fields=["kind"])
    application = zhao_loan.application
    application.declarations = {**(application.declarations or {}), "new_key_group_hires_12m": 3}
    application.save(update_fields=["declarations"])
    return zhao_loan
