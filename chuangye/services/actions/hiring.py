"""Hiring actions: job openings, seeker profiles, applications and their progress."""

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from chuangye.accounts.models import Role
from chuangye.core.audit import record_event
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.core.money import parse_money
from chuangye.inbox.actions import notify
from chuangye.registry.models import Business
from chuangye.services import access, matching, search
from chuangye.services.actions.common import MAX_BODY, _county, _int, _text, forbidden
from chuangye.services.models import Fair, JobApplication, Opening, SeekerProfile


@transaction.atomic
def opening_post(
    *, actor: Any, business: Business, data: Mapping[str, Any], request: HttpRequest | None = None
) -> Opening:
    """A founder posts an opening for their own operating business."""
    if not business.founders.filter(person__user=actor).exists():
        raise forbidden("只能为本人创办的经营主体发布岗位")
    if business.status != Business.Status.OPERATING:
        raise DomainError(message="该经营主体不在存续状态，不能发布岗位", code="invalid")
    role = _text(data.get("role"), "role", "岗位", 60)
    pay_min = parse_money(data.get("pay_min"), field="pay_min", label="月薪下限", allow_zero=False)
    pay_max = parse_money(data.get("pay_max"), field="pay_max", label="月薪上限", allow_zero=False)
    if pay_max < pay_min:
        raise FieldValueError("pay_max", "月薪上限", "不能低于月薪下限")
    place = _text(data.get("place"), "place", "工作地点", 200)
    requirements = _text(data.get("requirements"), "requirements", "任职要求", MAX_BODY)
    headcount = _int(data.get("headcount") or 1, "headcount", "招聘人数", 1, 999)
    opening = Opening.objects.create(
        business=business,
        role=role,
        pay_min=pay_min,
        pay_max=pay_max,
        place=place,
        region_code=business.region_code,
        requirements=requirements,
        headcount=headcount,
        posted_by=actor,
        search_text=search.index_text(role, requirements, place),
    )
    record_event(
        "services.opening.post",
        actor=actor,
        object_type="services_opening",
        object_id=opening.pk,
        region_code=opening.region_code,
        details={"business": business.pk, "role": role},
        request=request,
    )
    return opening


@transaction.atomic
def opening_close(*, actor: Any, opening: Opening, request: HttpRequest | None = None) -> Opening:
    opening = Opening.objects.select_for_update().get(pk=opening.pk)
    if not access.manages_opening(actor, opening):
        raise forbidden("无权结束该岗位招聘")
    if opening.state == Opening.State.CLOSED:
        raise ConflictError("该岗位已结束招聘")
    opening.state = Opening.State.CLOSED
    opening.save(update_fields=["state"])
    record_event(
        "services.opening.close",
        actor=actor,
        object_type="services_opening",
        object_id=opening.pk,
        region_code=opening.region_code,
        request=request,
    )
    return opening


@transaction.atomic
def seeker_profile_save(*, actor: Any, data: Mapping[str, Any], request: HttpRequest | None = None) -> SeekerProfile:
    if getattr(actor, "role", None) != Role.CITIZEN:
        raise forbidden("只有个人用户可以登记求职信息")
    role = _text(data.get("desired_role"), "desired_role", "意向岗位", 60)
    skills = _text(data.get("skills"), "skills", "技能与经历", 2000)
    pay = parse_money(data.get("expected_pay"), field="expected_pay", label="期望月薪", allow_zero=False)
    region = _county(data.get("region_code"), "region_code", "意向地区")
    profile, _ = SeekerProfile.objects.update_or_create(
        user=actor,
        defaults={
            "desired_role": role,
            "skills": skills,
            "expected_pay": pay,
            "region_code": region,
            "available": bool(data.get("available", True)),
            "updated_at": timezone.now(),
            "search_text": search.index_text(role, skills),
        },
    )
    record_event(
        "services.seeker.save",
        actor=actor,
        object_type="services_seeker",
        object_id=profile.pk,
        region_code=region,
        request=request,
    )
    return profile


@transaction.atomic
def job_apply(*, actor: Any, opening: Opening, request: HttpRequest | None = None) -> JobApplication:
    profile = SeekerProfile.objects.filter(user=actor).first()
    if profile is None:
        raise DomainError(message="请先填写求职信息（意向岗位、技能与期望月薪）", code="no_profile")
    if opening.state != Opening.State.OPEN:
        raise ConflictError("该岗位已结束招聘")
    if opening.business.founders.filter(person__user=actor).exists():
        raise DomainError(message="不能应聘本人创办的经营主体的岗位", code="invalid")
    score = matching.score_opening(profile, opening).score
    try:
        with transaction.atomic():
            application = JobApplication.objects.create(opening=opening, seeker=profile, score=score)
    except IntegrityError:
        raise ConflictError("您已应聘该岗位") from None
    representative = opening.business.legal_representative
    if representative is not None and representative.user is not None:
        notify(
            representative.user,
            f"新的应聘：{opening.role}",
            f"{actor.display_name}应聘，匹配分{score}分。",
            link=reverse("services:opening", args=[opening.pk]),
        )
    record_event(
        "services.opening.apply",
        actor=actor,
        object_type="services_opening",
        object_id=opening.pk,
        region_code=opening.region_code,
        details={"application": application.pk, "score": score},
        request=request,
    )
    return application


@transaction.atomic
def application_update(
    *,
    actor: Any,
    application_id: object,
    state: str,
    note: object = "",
    fair: Fair | None = None,
    request: HttpRequest | None = None,
) -> JobApplication:
    """The business (or the office) records the outcome: invited to interview, hired, not hired."""
    try:
        visible = access.applications_for(actor).values("pk")
        application = JobApplication.objects.select_for_update().get(pk=int(str(application_id)), pk__in=visible)
    except (JobApplication.DoesNotExist, ValueError):
        raise FieldValueError("application", "应聘记录", "不存在") from None
    if not access.manages_opening(actor, application.opening):
        raise forbidden("只有招聘单位或经办人员可以记录应聘结果")
    if state not in (JobApplication.State.INTERVIEW, JobApplication.State.HIRED, JobApplication.State.DECLINED):
        raise FieldValueError("state", "应聘结果", "请选择邀请面试、录用或未录用")
    if application.state in (JobApplication.State.HIRED, JobApplication.State.DECLINED):
        raise ConflictError("该应聘已有最终结果")
    application.state = state
    application.note = _text(note, "note", "备注", 200, required=False)
    application.updated_at = timezone.now()
    if fair is not None:
        application.fair = fair
    application.save()
    notify(
        application.seeker.user,
        f"应聘进展：{application.opening.role}",
        f"{application.opening.business.name}：{application.get_state_display()}。",
        link=reverse("services:opening", args=[application.opening_id]),
        sms=state != JobApplication.State.DECLINED,
    )
    record_event(
        "services.opening.outcome",
        actor=actor,
        object_type="services_opening",
        object_id=application.opening_id,
        region_code=application.opening.region_code,
        details={"application": application.pk, "state": state, "fair": fair.pk if fair else None},
        request=request,
    )
    return application
