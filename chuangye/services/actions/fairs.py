"""Matchmaking fair (对接洽谈会) actions: creating a fair, signing up and recording outcomes."""

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from chuangye.accounts.models import Role
from chuangye.core.audit import record_event
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.registry.models import Business
from chuangye.services import access, matching
from chuangye.services.actions.common import _county, _datetime, _staff_in_scope, _text, forbidden, pk_of
from chuangye.services.actions.hiring import application_update
from chuangye.services.models import Fair, FairSignup, JobApplication, Opening, SeekerProfile


@transaction.atomic
def fair_create(*, actor: Any, data: Mapping[str, Any], request: HttpRequest | None = None) -> Fair:
    title = _text(data.get("title"), "title", "名称", 100)
    region = _county(data.get("region_code") or actor.region_code, "region_code", "举办地区")
    _staff_in_scope(actor, region, "举办本地区的对接洽谈会")
    place = _text(data.get("place"), "place", "地点", 200)
    starts_at = _datetime(data.get("starts_at"), "starts_at", "时间")
    fair = Fair.objects.create(title=title, region_code=region, place=place, starts_at=starts_at, organiser=actor)
    record_event(
        "services.fair.create",
        actor=actor,
        object_type="services_fair",
        object_id=fair.pk,
        region_code=region,
        request=request,
    )
    return fair


@transaction.atomic
def fair_signup(
    *, actor: Any, fair: Fair, side: str, business_id: object = None, request: HttpRequest | None = None
) -> FairSignup:
    """A start-up (with its open positions) or a job seeker (with a profile) registers for a fair."""
    if getattr(actor, "role", None) != Role.CITIZEN:
        raise forbidden("请以个人账号报名")
    if fair.starts_at < timezone.now():
        raise ConflictError("洽谈会已经开始或结束，不能报名")
    business = None
    if side == FairSignup.Side.EMPLOYER:
        business = Business.objects.filter(pk=pk_of(business_id), founders__person__user=actor).first()
        if business is None:
            raise FieldValueError("business", "用人单位", "请选择本人创办的经营主体")
        if not Opening.objects.filter(business=business, state=Opening.State.OPEN).exists():
            raise FieldValueError("business", "用人单位", "请先发布招聘岗位再报名")
    elif side == FairSignup.Side.SEEKER:
        if not SeekerProfile.objects.filter(user=actor).exists():
            raise DomainError(message="请先填写求职信息再报名", code="no_profile")
    else:
        raise FieldValueError("side", "报名身份", "请选择用人单位或求职者")
    try:
        with transaction.atomic():
            signup = FairSignup.objects.create(fair=fair, side=side, user=actor, business=business)
    except IntegrityError:
        raise ConflictError("您已报名") from None
    record_event(
        "services.fair.signup",
        actor=actor,
        object_type="services_fair",
        object_id=fair.pk,
        region_code=fair.region_code,
        details={"side": side, "business": business.pk if business else None},
        request=request,
    )
    return signup


@transaction.atomic
def fair_record_outcome(
    *,
    actor: Any,
    fair: Fair,
    opening_id: object,
    seeker_user_id: object,
    state: str,
    request: HttpRequest | None = None,
) -> JobApplication:
    """At the fair the office records what came of a conversation between a registered start-up and seeker."""
    if not access.manages_fair(actor, fair):
        raise forbidden("只有举办地区的经办人员可以记录洽谈结果")
    employers = fair.signups.filter(side=FairSignup.Side.EMPLOYER).values("business_id")
    opening = Opening.objects.filter(pk=pk_of(opening_id), business_id__in=employers).first()
    if opening is None:
        raise FieldValueError("opening", "岗位", "请选择已报名单位的岗位")
    seeker_signup = fair.signups.filter(side=FairSignup.Side.SEEKER, user_id=pk_of(seeker_user_id)).first()
    profile = SeekerProfile.objects.filter(user_id=seeker_signup.user_id).first() if seeker_signup else None
    if profile is None:
        raise FieldValueError("seeker", "求职者", "请选择已报名的求职者")
    application, _ = JobApplication.objects.get_or_create(
        opening=opening,
        seeker=profile,
        defaults={"score": matching.score_opening(profile, opening).score, "fair": fair},
    )
    return application_update(actor=actor, application_id=application.pk, state=state, fair=fair, request=request)
