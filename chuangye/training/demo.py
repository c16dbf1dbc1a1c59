"""Demo records: 孙丽's 锦江区 training school on the published list with two trainers, 成都市's subsidy standards, an
approved SYB class starting in two weeks (eight registrants from its uploaded roster, seats left for 李晓雨), a GYB
class waiting for 王芳's approval, and a published trainer competition. Idempotent: made through the real actions
once, then found by title."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from chuangye.accounts.models import User
from chuangye.cases.actions import case_transition
from chuangye.policies.actions import parameter_override_create
from chuangye.policies.models import ParameterOverride
from chuangye.registry.models import Person
from chuangye.training import actions
from chuangye.training.models import Competition, TrainingClass

CLASS_TITLE = "锦江区2026年SYB创业培训班（示例）"
STANDARDS = {
    "subsidy.training.amount.GYB": "100.00",
    "subsidy.training.amount.SYB": "1000.00",
    "subsidy.training.amount.IYB": "1000.00",
    "subsidy.training.startup_window_months": "6",
    "subsidy.training.no_startup_share": "50%",
}


def _weekday_after(day: dt.date, days: int) -> dt.date:
    found = day + dt.timedelta(days=days)
    while found.weekday() >= 5:
        found += dt.timedelta(days=1)
    return found


def _sessions(start: dt.date, count: int) -> str:
    return "\n".join(f"{(start + dt.timedelta(days=n)).isoformat()} 09:00-12:00 第{n + 1}讲" for n in range(count))


def _roster(people: list[Person]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    if sheet is None:
        raise RuntimeError("openpyxl made a workbook without a sheet")
    sheet.append(["姓名", "身份证号"])
    for person in people:
        sheet.append([person.name, person.id_number])
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("roster.xlsx", buffer.getvalue())


def seed() -> str:
    partner = User.objects.filter(username="trainer_org").first()
    officer = User.objects.filter(username="officer_jj").first()
    city = User.objects.filter(username="officer_cd").first()
    if partner is None or officer is None or city is None or TrainingClass.objects.filter(title=CLASS_TITLE).exists():
        return "创业培训：演示数据已存在或缺少演示账户，未新增。"
    today = timezone.localdate()
    org = partner.organisation
    if org is None:
        return "创业培训：演示培训机构账户未关联机构，未新增。"
    actions.institution_list(
        actor=officer,
        data={
            "credit_code": org.credit_code,
            "courses": ["GYB", "SYB", "IYB", "EYB", "NET"],
            "listed_from": (today - dt.timedelta(days=30)).isoformat(),
            "listed_until": today.replace(year=today.year + 2).isoformat(),
            "document": "锦人社办〔2026〕12号（示例）",
        },
    )
    institution = org.training_listing
    trainers = [
        actions.trainer_register(
            actor=officer,
            institution=institution,
            data={
                "name": name,
                "level": level,
                "certificate_number": number,
                "courses": ["GYB", "SYB", "IYB"],
                "valid_until": today.replace(year=today.year + 3).isoformat(),
            },
        )
        for name, level, number in (("钱进", "senior", "SC-JS-0001"), ("孔明", "trainer", "SC-JS-0002"))
    ]
    for name, value in STANDARDS.items():
        if not ParameterOverride.objects.filter(name=name, region_code="510100").exists():
            parameter_override_create(
                actor=city,
                name=name,
                region_code="510100",
                value=value,
                effective_from="2020-11-01",
                document_number="成都市创业培训补贴标准（示例，非真实文件）",
            )
    start = _weekday_after(today, 14)
    klass = actions.class_apply(
        actor=partner,
        data={
            "course": "SYB",
            "title": CLASS_TITLE,
            "start_date": start.isoformat(),
            "end_date": (start + dt.timedelta(days=4)).isoformat(),
            "venue": "锦江区创业服务中心三楼培训室",
            "capacity": "30",
            "hours": "70",
        },
        trainer_ids=[t.pk for t in trainers],
        sessions_text=_sessions(start, 5),
    )
    case_transition(case=klass.case, action="approve", actor=officer)
    klass.refresh_from_db()
    people = list(
        Person.objects.filter(region_code="510104", user__isnull=True, anonymised_at__isnull=True).order_by("id")[:8]
    )
    enrolled = actions.roster_upload(actor=partner, klass=klass, upload=_roster(people)) if people else []
    gyb = _weekday_after(today, 21)
    actions.class_apply(
        actor=partner,
        data={
            "course": "GYB",
            "title": "锦江区2026年GYB创业意识培训班（示例）",
            "start_date": gyb.isoformat(),
            "end_date": (gyb + dt.timedelta(days=2)).isoformat(),
            "online": "1",
            "capacity": "50",
            "hours": "24",
        },
        trainer_ids=[trainers[1].pk],
        sessions_text=_sessions(gyb, 3),
    )
    _competition(officer, trainers)
    return f"创业培训：1家定点机构、2名讲师、2个培训班（{len(enrolled)}人已报名）、1场已公布结果的讲师大赛。"


def _competition(officer: User, trainers: list) -> None:  # type: ignore[type-arg]
    supervisor = User.objects.filter(username="supervisor_jj").first()
    mentor = User.objects.filter(username="mentor_guo").first()
    if supervisor is None or mentor is None or Competition.objects.filter(title__contains="示例").exists():
        return
    competition = actions.competition_create(
        actor=officer,
        data={
            "title": "锦江区创业培训讲师大赛（示例）",
            "held_on": (timezone.localdate() - dt.timedelta(days=7)).isoformat(),
            "tracks": "综合能力赛道,微课赛道",
            "rubric": "教学设计 30\n课堂呈现 40\n实践指导 30",
        },
    )
    for judge in (officer, supervisor, mentor):
        actions.competition_add_judge(actor=officer, competition=competition, username=judge.username)
    track = competition.tracks.first()
    if track is None:
        return
    entrants = [
        actions.competition_add_entrant(
            actor=officer, competition=competition, track_id=track.pk, certificate_number=t.certificate_number
        )
        for t in trainers
    ]
    marks = {
        0: (("27", "36", "27"), ("25", "33", "26"), ("28", "37", "28")),
        1: (("24", "30", "25"), ("26", "35", "27"), ("22", "31", "24")),
    }
    for n, entrant in enumerate(entrants):
        for judge, items in zip((officer, supervisor, mentor), marks[n], strict=True):
            actions.score_submit(actor=judge, entrant=entrant, items=list(items))
    actions.competition_publish(actor=officer, competition=competition)
