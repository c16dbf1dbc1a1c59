"""Each rule of the issue, one test each: attendance codes, enrolment and the waiting list, roster upload,
completion, claims (never paying the same person and course twice), follow-up and trainer competitions."""

import datetime as dt
import io
from decimal import Decimal
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from openpyxl import Workbook

from chuangye.accounts.models import Role
from chuangye.accounts.testing import make_citizen, make_user, sign_in
from chuangye.cases.actions import case_transition
from chuangye.core.errors import DomainError
from chuangye.training import actions
from chuangye.training.models import Certificate, Claim, ClaimLine, Enrolment, Trainer
from chuangye.training.selectors import followup_rates
from chuangye.training.testing import apply_class, make_institution, make_trainer
from chuangye.training.tests.conftest import found_business, travel

pytestmark = pytest.mark.django_db


def approve(klass, officer, day="2026-03-03"):
    with travel(day):
        case_transition(case=klass.case, action="approve", actor=officer)
    klass.refresh_from_db()
    return klass


def complete(klass, partner, trainees, *, day="2026-03-20", attend=None, passed=None):
    """Enrol ``trainees`` before the start, record attendance (all sessions unless ``attend`` says how many per
    trainee), assess (all pass unless ``passed`` says otherwise) and complete the class."""
    with travel(klass.start_date.replace(day=klass.start_date.day - 2).isoformat()):
        enrolments = [actions.enrol(actor=t, klass=klass) for t in trainees]
    for n, session in enumerate(klass.sessions.all(), start=1):
        with travel(session.starts_at.astimezone(dt.UTC).date().isoformat(), "11:00"):
            present = [e.pk for e in enrolments if n <= (attend or {}).get(e.person_id, 99)]
            actions.attendance_enter(actor=partner, session=session, enrolment_ids=present)
    with travel(day, "15:00"):
        results = {e.pk: (passed or {}).get(e.person_id, True) for e in enrolments}
        actions.assessment_record(actor=partner, klass=klass, results=results)
        actions.class_complete(actor=partner, klass=klass)
    return enrolments


@pytest.fixture
def wei_ning(db):
    return make_citizen("weining", "魏宁", phone="13800000009", region_code="510107", birth="1995-02-01", sex="M")


# Attendance codes -----------------------------------------------------------------------------------------------


def test_attendance_codes_expired_renewed_forged_or_for_another_session_are_refused(
    klass, wang_fang, li_xiaoyu, zhao_jianguo
):
    approve(klass, wang_fang)
    with travel("2026-03-05"):
        actions.enrol(actor=li_xiaoyu, klass=klass)
    first, second = klass.sessions.all()[:2]
    token = actions.qr_token(first)
    with travel("2026-03-16", "08:00"), pytest.raises(DomainError, match="尚未开始签到"):
        actions.attendance_check_in(actor=li_xiaoyu, token=token)
    with travel("2026-03-16", "12:31"), pytest.raises(DomainError, match="已过期"):
        actions.attendance_check_in(actor=li_xiaoyu, token=token)
    with travel("2026-03-16", "09:10"):
        with pytest.raises(DomainError, match="不是本次课"):
            actions.attendance_check_in(actor=li_xiaoyu, token=token, session_id=second.pk)
        with pytest.raises(DomainError, match="无效"):
            actions.attendance_check_in(actor=li_xiaoyu, token=token[:-3] + "abc")
        with pytest.raises(DomainError, match="未报名"):
            actions.attendance_check_in(actor=zhao_jianguo, token=token)
        with pytest.raises(DomainError, match="无效"):  # a code for the next day's session is not valid today
            actions.attendance_check_in(actor=li_xiaoyu, token="x" + actions.qr_token(second))
    with travel("2026-03-17", "09:10"), pytest.raises(DomainError, match="已过期"):
        actions.attendance_check_in(actor=li_xiaoyu, token=token)  # yesterday's code
    sun_li = klass.institution.organisation.users.get()
    with travel("2026-03-16", "09:00"):
        actions.qr_renew(actor=sun_li, session=first)
    with travel("2026-03-16", "09:10"):
        with pytest.raises(DomainError, match="已失效"):
            actions.attendance_check_in(actor=li_xiaoyu, token=token)
        actions.attendance_check_in(actor=li_xiaoyu, token=actions.qr_token(first))
        with pytest.raises(DomainError, match="不能重复使用"):
            actions.attendance_check_in(actor=li_xiaoyu, token=actions.qr_token(first))
    assert first.attendances.count() == 1


def test_attendance_is_counted_once_per_trainee_and_session_by_the_database(klass, wang_fang, li_xiaoyu, sun_li):
    approve(klass, wang_fang)
    with travel("2026-03-05"):
        enrolment = actions.enrol(actor=li_xiaoyu, klass=klass)
    session = klass.sessions.first()
    with travel("2026-03-16", "11:00"):
        assert actions.attendance_enter(actor=sun_li, session=session, enrolment_ids=[enrolment.pk]) == 1
        assert actions.attendance_enter(actor=sun_li, session=session, enrolment_ids=[enrolment.pk]) == 0
    assert session.attendances.count() == 1
    assert actions.attendance_rate(enrolment) == Decimal("0.2000")


# Enrolment ------------------------------------------------------------------------------------------------------


def test_a_full_class_puts_trainees_on_the_waiting_list_and_a_cancellation_promotes_the_first(
    sun_li, qian_jin, wang_fang, li_xiaoyu, zhao_jianguo, wei_ning
):
    with travel("2026-03-02"):
        klass = apply_class(sun_li, qian_jin, data={"capacity": "1"})
    approve(klass, wang_fang)
    with travel("2026-03-05"):
        assert actions.enrol(actor=li_xiaoyu, klass=klass).status == Enrolment.Status.ENROLLED
        assert actions.enrol(actor=zhao_jianguo, klass=klass).status == Enrolment.Status.WAITING
        assert actions.enrol(actor=wei_ning, klass=klass).status == Enrolment.Status.WAITING
        li = Enrolment.objects.get(person=li_xiaoyu.person)
        with pytest.raises(DomainError, match="只能取消本人"):
            actions.enrolment_cancel(actor=zhao_jianguo, enrolment=li)
        actions.enrolment_cancel(actor=li_xiaoyu, enrolment=li)
    assert Enrolment.objects.get(person=zhao_jianguo.person).status == Enrolment.Status.ENROLLED
    assert Enrolment.objects.get(person=wei_ning.person).status == Enrolment.Status.WAITING


def test_enrolment_is_refused_after_the_start_and_for_unapproved_classes(klass, wang_fang, li_xiaoyu):
    with travel("2026-03-05"), pytest.raises(DomainError, match="尚未获批"):
        actions.enrol(actor=li_xiaoyu, klass=klass)
    approve(klass, wang_fang)
    with travel("2026-03-16", "08:00"):
        response = sign_in(Client(), li_xiaoyu).post(f"/training/classes/{klass.pk}/")
    assert response.status_code == 409 and "已开班" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_enrolment_tells_a_trainee_already_subsidised_for_the_course(klass, wang_fang, li_xiaoyu, sun_li, qian_jin):
    approve(klass, wang_fang)
    with travel("2026-03-05"):
        first = actions.enrol(actor=li_xiaoyu, klass=klass)
    assert first.subsidy_expected
    with travel("2026-03-06"):
        ClaimLine.objects.create(
            claim=Claim.objects.create(
                number="X-1",
                training_class=klass,
                institution=klass.institution,
                region_code="510104",
                total="1000.00",
                submitted_by=sun_li,
            ),
            enrolment=first,
            person=first.person,
            course="SYB",
            status="paid",
            amount="1000.00",
        )
        second = apply_class(
            sun_li,
            qian_jin,
            data={"start_date": "2026-04-13", "end_date": "2026-04-17"},
            sessions="2026-04-13 09:00-12:00 第1讲",
        )
    approve(second, wang_fang, "2026-04-01")
    with travel("2026-04-02"):
        again = actions.enrol(actor=li_xiaoyu, klass=second)
    assert not again.subsidy_expected and "已享受过培训补贴" in again.subsidy_note


# Roster upload --------------------------------------------------------------------------------------------------


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("roster.xlsx", buffer.getvalue())


def test_a_roster_with_any_bad_row_is_refused_whole_naming_the_rows(
    klass, wang_fang, sun_li, li_xiaoyu, zhao_jianguo, wei_ning
):
    approve(klass, wang_fang)
    li, zhao = li_xiaoyu.person, zhao_jianguo.person
    bad = _xlsx(
        [
            [li.name, li.id_number],
            [zhao.name, zhao.id_number],
            [li.name, li.id_number],
            ["王五", "110101199003077777"],
            ["张三", zhao.id_number],
        ]
    )
    with travel("2026-03-05"):
        school = sign_in(Client(), sun_li)
        response = school.post(f"/training/org/classes/{klass.pk}/", {"action": "roster", "roster": bad})
        page = response.content.decode()
        assert response.status_code == 422
        assert "第4行：与第2行重复" in page and "第5行：身份证号未在人员库中登记" in page and "第6行" in page
        assert not Enrolment.objects.exists()
        good = _xlsx([[li.name, li.id_number], [zhao.name, zhao.id_number]])
        assert (
            school.post(f"/training/org/classes/{klass.pk}/", {"action": "roster", "roster": good}).status_code == 302
        )
    assert set(Enrolment.objects.values_list("source", flat=True)) == {Enrolment.Source.ROSTER}
    with travel("2026-03-06"), pytest.raises(DomainError, match="已报名该培训班"):
        actions.roster_upload(actor=sun_li, klass=klass, upload=_xlsx([[li.name, li.id_number]]))
    klass.capacity = 2
    klass.save(update_fields=["capacity"])
    wei = wei_ning.person
    with travel("2026-03-06"), pytest.raises(DomainError, match="超过剩余名额0人"):
        actions.roster_upload(actor=sun_li, klass=klass, upload=_xlsx([[wei.name, wei.id_number]]))
    with travel("2026-03-06"), pytest.raises(DomainError, match="无法读取"):
        actions.roster_upload(actor=sun_li, klass=klass, upload=SimpleUploadedFile("r.xlsx", b"not a workbook"))


# Class applications ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"data": {"start_date": "2026-03-02"}}, "开班日期应晚于今天"),
        ({"data": {"hours": "40"}}, "不得少于本地区SYB课时标准70学时"),
        ({"data": {"course": "EYB"}}, "未列入该课程"),
        ({"data": {"venue": ""}}, "线下培训须填写培训地点"),
        ({"data": {"capacity": "0"}}, "计划人数"),
        ({"data": {"end_date": "2027-01-10"}}, "目录有效期"),
        ({"sessions": "明天上午"}, "第1行格式"),
        ({"sessions": "2026-03-01 09:00-12:00 早于开班"}, "开班日期与结业日期之间"),
        ({"sessions": "2026-03-16 09:00-12:00 a\n2026-03-16 11:00-13:00 b"}, "重叠"),
    ],
)
def test_bad_class_applications_name_the_field_and_create_nothing(sun_li, qian_jin, overrides, message):
    with travel("2026-03-02"), pytest.raises(DomainError, match=message):
        apply_class(sun_li, qian_jin, **overrides)
    from chuangye.cases.models import Case

    assert not Case.objects.exists()


def test_a_trainer_without_a_valid_qualification_for_the_course_cannot_teach(sun_li, qian_jin):
    Trainer.objects.filter(pk=qian_jin.pk).update(valid_until=dt.date(2026, 3, 18))
    with travel("2026-03-02"), pytest.raises(DomainError, match="无SYB课程的有效授课资格"):
        apply_class(sun_li, qian_jin)


# Completion -----------------------------------------------------------------------------------------------------


def test_certificates_need_the_attendance_threshold_and_a_passed_assessment(
    klass, wang_fang, sun_li, li_xiaoyu, zhao_jianguo, wei_ning
):
    approve(klass, wang_fang)
    with travel("2026-03-19"), pytest.raises(DomainError, match="培训尚未结束"):
        actions.class_complete(actor=sun_li, klass=klass)
    complete(
        klass,
        sun_li,
        [li_xiaoyu, zhao_jianguo, wei_ning],
        attend={zhao_jianguo.person.pk: 3},  # 3 of 5 = 60% < 80%
        passed={wei_ning.person.pk: False},
    )
    assert set(Certificate.objects.values_list("person_id", flat=True)) == {li_xiaoyu.person.pk}
    with travel("2026-03-21"), pytest.raises(DomainError, match="已结业"):
        actions.class_complete(actor=sun_li, klass=klass)


def test_completion_needs_every_assessment(klass, wang_fang, sun_li, li_xiaoyu):
    approve(klass, wang_fang)
    with travel("2026-03-05"):
        actions.enrol(actor=li_xiaoyu, klass=klass)
    with travel("2026-03-20", "15:00"), pytest.raises(DomainError, match="考核结果"):
        actions.class_complete(actor=sun_li, klass=klass)


# Claims ---------------------------------------------------------------------------------------------------------


def test_claims_are_refused_for_unapproved_or_unfinished_classes_and_lapsed_trainers(
    klass, wang_fang, sun_li, qian_jin, li_xiaoyu, chengdu_rules
):
    with travel("2026-03-03"):
        case_transition(case=klass.case, action="refuse", actor=wang_fang, comment="场地不符合要求")
    with travel("2026-03-25"), pytest.raises(DomainError, match="未获批准开班"):
        actions.claim_submit(actor=sun_li, klass=klass)
    with travel("2026-03-02"):
        second = apply_class(sun_li, qian_jin, data={"title": "第2期"})
    approve(second, wang_fang)
    with travel("2026-03-17"), pytest.raises(DomainError, match="结业发证后"):
        actions.claim_submit(actor=sun_li, klass=second)
    complete(second, sun_li, [li_xiaoyu])
    Trainer.objects.filter(pk=qian_jin.pk).update(valid_until=dt.date(2026, 3, 18))
    with travel("2026-03-23"), pytest.raises(DomainError, match="无有效授课资格"):
        actions.claim_submit(actor=sun_li, klass=second)
    assert not Claim.objects.exists()


def test_a_region_without_a_standard_has_nothing_to_claim(klass, wang_fang, sun_li, li_xiaoyu):
    approve(klass, wang_fang)
    complete(klass, sun_li, [li_xiaoyu])
    with travel("2026-03-23"), pytest.raises(DomainError, match="尚未设定"):
        actions.claim_submit(actor=sun_li, klass=klass)
    assert not Claim.objects.exists() and not ClaimLine.objects.exists()


def test_claims_after_the_claim_window_are_refused(klass, wang_fang, sun_li, li_xiaoyu, chengdu_rules):
    approve(klass, wang_fang)
    complete(klass, sun_li, [li_xiaoyu])
    with travel("2026-09-21"), pytest.raises(DomainError, match="超过取证后6个月"):
        actions.claim_submit(actor=sun_li, klass=klass)


def test_the_same_person_and_course_is_never_paid_twice_across_institutions_and_regions(
    klass, wang_fang, chen_gang, sun_li, li_xiaoyu, zhao_jianguo, chengdu_rules
):
    approve(klass, wang_fang)
    complete(klass, sun_li, [li_xiaoyu])
    with travel("2026-03-23"):
        first = actions.claim_submit(actor=sun_li, klass=klass)
    assert first.lines.get().status == ClaimLine.Status.CLAIMED

    # 武侯区's school trains 李晓雨 in SYB again (a later class), and claims for her and 赵建国.
    with travel("2026-03-02"):
        wuhou = make_institution("mazhi", "510107", officer=chen_gang, name="武侯区示例培训学校")
        teacher = make_trainer(wuhou, chen_gang, number="JS-2026-0002", name="冯远")
        other = apply_class(
            wuhou,
            teacher,
            data={"title": "武侯SYB班", "start_date": "2026-04-13", "end_date": "2026-04-17"},
            sessions="2026-04-13 09:00-12:00 第1讲",
        )
    approve(other, chen_gang, "2026-04-01")
    complete(other, wuhou, [li_xiaoyu, zhao_jianguo], day="2026-04-17")
    with travel("2026-04-20"):
        second = actions.claim_submit(actor=wuhou, klass=other)
    lines = {line.person_id: line for line in second.lines.all()}
    assert lines[li_xiaoyu.person.pk].status == ClaimLine.Status.REJECTED
    assert "已享受过培训补贴" in lines[li_xiaoyu.person.pk].reason
    assert lines[zhao_jianguo.person.pk].status == ClaimLine.Status.CLAIMED
    assert second.total == Decimal("500.00")

    # Even if the check were bypassed (two claims racing), the database refuses a second claimed line.
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimLine.objects.create(
            claim=second,
            enrolment=lines[li_xiaoyu.person.pk].enrolment,
            person=li_xiaoyu.person,
            course="SYB",
            status="claimed",
            amount="1000.00",
        )


def test_a_race_past_the_policy_check_is_stopped_by_the_database(klass, wang_fang, sun_li, li_xiaoyu, chengdu_rules):
    approve(klass, wang_fang)
    complete(klass, sun_li, [li_xiaoyu])
    certificate = Certificate.objects.get()
    ClaimLine.objects.create(
        claim=Claim.objects.create(
            number="OTHER-1",
            training_class=klass,
            institution=klass.institution,
            region_code="510104",
            total="1000.00",
            submitted_by=sun_li,
            state="refused",
        ),
        enrolment=certificate.enrolment,
        person=li_xiaoyu.person,
        course="SYB",
        status="claimed",  # claimed elsewhere at the same moment
        amount="1000.00",
    )
    claimed = (ClaimLine.Status.CLAIMED, Decimal("1000.00"), "", {})
    race = mock.patch("chuangye.training.actions.claims.line_outcome", return_value=claimed)  # where claim_submit looks
    with travel("2026-03-23"), race, pytest.raises(DomainError, match="同一人同一课程只补贴一次"):
        actions.claim_submit(actor=sun_li, klass=klass)
    assert ClaimLine.objects.filter(status="claimed").count() == 1


def test_a_refused_claim_frees_the_trainees_for_a_new_claim(
    klass, wang_fang, yang_fan, sun_li, li_xiaoyu, chengdu_rules
):
    approve(klass, wang_fang)
    complete(klass, sun_li, [li_xiaoyu])
    with travel("2026-03-23"):
        claim = actions.claim_submit(actor=sun_li, klass=klass)
        with pytest.raises(DomainError, match="理由"):
            actions.claim_refuse(actor=wang_fang, claim=claim, note="")
        actions.claim_refuse(actor=wang_fang, claim=claim, note="花名册与签到记录不符")
        again = actions.claim_submit(actor=sun_li, klass=klass)
    assert again.total == Decimal("500.00")


def test_an_objection_during_the_notice_takes_a_trainee_off_the_claim(
    klass, wang_fang, sun_li, li_xiaoyu, zhao_jianguo, chengdu_rules
):
    approve(klass, wang_fang)
    complete(klass, sun_li, [li_xiaoyu, zhao_jianguo])
    with travel("2026-03-23"):
        claim = actions.claim_submit(actor=sun_li, klass=klass)
        actions.claim_start_notice(actor=wang_fang, claim=claim)
    line = claim.lines.get(person=zhao_jianguo.person)
    with travel("2026-03-25"):
        actions.claim_line_reject(actor=wang_fang, line=line, reason="公示期间收到异议，核实未参训")
    with travel("2026-04-01"):
        actions.claim_approve(actor=wang_fang, claim=claim)
    claim.refresh_from_db()
    assert claim.total == Decimal("500.00")
    assert dict(claim.lines.values_list("person_id", "status")) == {
        li_xiaoyu.person.pk: "paid",
        zhao_jianguo.person.pk: "rejected",
    }


# Follow-up ------------------------------------------------------------------------------------------------------


def test_follow_up_rates_count_trainees_who_start_a_business_within_six_months(
    klass, wang_fang, sun_li, li_xiaoyu, zhao_jianguo, wei_ning
):
    approve(klass, wang_fang)
    complete(klass, sun_li, [li_xiaoyu, zhao_jianguo, wei_ning])
    found_business(li_xiaoyu.person, dt.date(2026, 9, 20))  # within 6 months of 2026-03-20
    found_business(zhao_jianguo.person, dt.date(2026, 9, 21))  # one day late
    found_business(wei_ning.person, dt.date(2025, 5, 1))  # before the course: not a start-up after training
    rates = followup_rates(Certificate.objects.all(), 6)
    (course,) = rates["course"]
    assert (course.key, course.certified, course.started, course.rate) == ("SYB", 3, 1, Decimal("33.3"))
    assert [r.started for r in rates["institution"]] == [1] and [r.key for r in rates["region"]] == ["510104"]
    with travel("2026-10-01"):
        page = sign_in(Client(), wang_fang).get("/training/workbench/followup/").content.decode()
    assert "33.3%" in page and "创办你的企业（SYB）" in page


# Trainer competitions -------------------------------------------------------------------------------------------


def test_a_competition_drops_the_highest_and_lowest_scores_ranks_and_publishes(sun_li, qian_jin, wang_fang, chen_gang):
    judges = [wang_fang, make_user("judge2", Role.OFFICER, region_code="510104"), make_user("guo", Role.MENTOR)]
    with travel("2026-05-01"):
        second = make_trainer(sun_li, wang_fang, number="JS-2026-0009", name="孔明")
        competition = actions.competition_create(
            actor=wang_fang,
            data={
                "title": "2026年讲师大赛",
                "held_on": "2026-05-20",
                "tracks": "综合能力,微课",
                "rubric": "教学设计 50\n课堂呈现 50",
            },
        )
        track = competition.tracks.first()
        for judge in judges:
            actions.competition_add_judge(actor=wang_fang, competition=competition, username=judge.username)
        a = actions.competition_add_entrant(
            actor=wang_fang, competition=competition, track_id=track.pk, certificate_number=qian_jin.certificate_number
        )
        b = actions.competition_add_entrant(
            actor=wang_fang, competition=competition, track_id=track.pk, certificate_number=second.certificate_number
        )
        with pytest.raises(DomainError, match="应在0至50之间"):
            actions.score_submit(actor=judges[0], entrant=a, items=["51", "40"])
        with pytest.raises(DomainError, match="不是本次比赛的评委"):
            actions.score_submit(actor=chen_gang, entrant=a, items=["40", "40"])
        for judge, (sa, sb) in zip(
            judges,
            [(("45", "45"), ("40", "40")), (("30", "30"), ("42", "42")), (("41", "41"), ("44", "44"))],
            strict=True,
        ):
            actions.score_submit(actor=judge, entrant=a, items=list(sa))
            if judge is not judges[2]:
                actions.score_submit(actor=judge, entrant=b, items=list(sb))
        with pytest.raises(DomainError, match="已为该选手评过分"):
            actions.score_submit(actor=judges[0], entrant=a, items=["1", "1"])
        with pytest.raises(DomainError, match="尚未被全部评委评分"):
            actions.competition_publish(actor=wang_fang, competition=competition)
        actions.score_submit(actor=judges[2], entrant=b, items=["44", "44"])
        actions.competition_publish(actor=wang_fang, competition=competition)
    a.refresh_from_db()
    b.refresh_from_db()
    # a: 90, 60, 82 → drop 90 and 60 → 82; b: 80, 84, 88 → 84.
    assert (a.final_score, b.final_score) == (Decimal("82.00"), Decimal("84.00"))
    assert (b.rank, b.award, a.rank, a.award) == (1, "一等奖", 2, "二等奖")
    results = Client().get(f"/training/competitions/{competition.pk}/results/").content.decode()
    assert "孔明" in results and "84.00" in results
    profile = Client().get(f"/training/trainers/{qian_jin.pk}/").content.decode()
    assert "2026年讲师大赛" in profile and "二等奖" in profile


def test_unpublished_results_are_not_public_and_need_three_judges(sun_li, qian_jin, wang_fang):
    with travel("2026-05-01"):
        competition = actions.competition_create(
            actor=wang_fang, data={"title": "讲师大赛", "held_on": "2026-05-20", "tracks": "微课", "rubric": "呈现 100"}
        )
        actions.competition_add_judge(actor=wang_fang, competition=competition, username=wang_fang.username)
        with pytest.raises(DomainError, match="至少需要3名评委"):
            actions.competition_publish(actor=wang_fang, competition=competition)
    assert Client().get(f"/training/competitions/{competition.pk}/results/").status_code == 404


def test_the_registry_facts_carry_the_courses_already_subsidised(klass, wang_fang, sun_li, li_xiaoyu, chengdu_rules):
    from chuangye.registry.facts import person_facts

    approve(klass, wang_fang)
    complete(klass, sun_li, [li_xiaoyu])
    assert "previously_subsidised_courses" not in person_facts(li_xiaoyu.person, dt.date(2026, 3, 23))
    with travel("2026-03-23"):
        actions.claim_submit(actor=sun_li, klass=klass)
    assert person_facts(li_xiaoyu.person, dt.date(2026, 3, 23))["previously_subsidised_courses"] == ["SYB"]


def test_a_claim_lists_uncertified_trainees_as_refused_with_the_reason(
    klass, wang_fang, sun_li, li_xiaoyu, zhao_jianguo, chengdu_rules
):
    approve(klass, wang_fang)
    complete(klass, sun_li, [li_xiaoyu, zhao_jianguo], attend={zhao_jianguo.person.pk: 2})
    with travel("2026-03-23"):
        claim = actions.claim_submit(actor=sun_li, klass=klass)
    line = claim.lines.get(person=zhao_jianguo.person)
    assert line.status == ClaimLine.Status.REJECTED and line.amount == 0
    assert "未取得创业培训合格证书" in line.reason and "出勤率40.0%" in line.reason
    assert claim.total == Decimal("500.00")
