"""What a registration decision does to the registry: a new business with a freshly issued credit code and an
electronic licence, a change applied, or a business cancelled."""

import datetime as dt
import secrets
from typing import Any

from django.utils import timezone

from chuangye.core.audit import record_event
from chuangye.core.ids import issue_credit_code
from chuangye.inbox.actions import notify
from chuangye.registration.models import Application
from chuangye.registry.models import Business, Founder, Person

NOTICE_DAYS = 20  # 简易注销公告期 (calendar days)
LICENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _application(case: Any) -> Application:
    return Application.objects.select_related("business").get(case=case)


def deregistration_notice_needed(case: Any) -> bool:
    """个体工商户 deregister without a public notice; companies and cooperatives give 20 days' notice."""
    business = _application(case).business
    return business is not None and business.kind != Business.Kind.INDIVIDUAL


def deregistration_notice_pending(case: Any) -> str | None:
    if not deregistration_notice_needed(case):
        return None
    ends = _application(case).notice_ends_on
    if ends is None:
        return "须先发布简易注销公告"
    if timezone.localdate() <= ends:
        return f"公告期至{ends:%Y年%m月%d日}，期满后方可注销"
    return None


def on_transition(case: Any, action: str, actor: Any) -> None:
    if action == "start_notice":
        Application.objects.filter(case=case).update(
            notice_ends_on=timezone.localdate() + dt.timedelta(days=NOTICE_DAYS)
        )


def on_decided(case: Any, actor: Any) -> None:
    if case.state != "approved":
        return
    application = _application(case)
    if case.case_type == "registration.establish":
        _establish(case, application, actor)
    elif case.case_type == "registration.change":
        _apply_change(application, actor)
    elif case.case_type == "registration.deregister" and application.business is not None:
        Business.objects.filter(pk=application.business.pk).update(status=Business.Status.CANCELLED)


def _establish(case: Any, application: Application, actor: Any) -> None:
    founders = application.founders
    people = Person.objects.in_bulk([f["person_id"] for f in founders])
    legal = next((f for f in founders if f["role"] in ("legal_rep", "operator")), founders[0])
    business = Business.objects.create(
        credit_code=issue_credit_code(application.region_code, application.kind),
        name=application.name,
        kind=application.kind,
        legal_representative=people[legal["person_id"]],
        registered_on=timezone.localdate(),
        region_code=application.region_code,
        address=application.address,
        business_scope=application.business_scope,
        industry=application.industry,
        headcount=len(founders),
        is_small_micro=True,
    )
    Founder.objects.bulk_create(
        Founder(business=business, person=people[f["person_id"]], role=f["role"], share_percent=f.get("share_percent"))
        for f in founders
    )
    application.business = business
    application.licence_code = "".join(secrets.choice(LICENCE_ALPHABET) for _ in range(12))
    application.licence_issued_at = timezone.now()
    application.save(update_fields=["business", "licence_code", "licence_issued_at"])
    record_event(
        "business.register",
        actor=actor,
        object_type="business",
        object_id=business.credit_code,
        region_code=business.region_code,
        details={"case": case.number},
    )
    notify(
        case.applicant_user,
        f"{business.name} 已准予登记",
        f"统一社会信用代码 {business.credit_code}。可下载电子营业执照，"
        "并办理“一件事”后续事项：就业创业证、一次性创业补贴、创业担保贷款。",
        link=f"/me/cases/{case.pk}/",
    )


CHANGEABLE = {"name": "名称", "address": "住所（经营场所）", "business_scope": "经营范围"}


def _apply_change(application: Application, actor: Any) -> None:
    business = application.business
    if business is None:
        return
    fields = {k: v for k, v in application.changes.items() if k in CHANGEABLE}
    if fields:
        Business.objects.filter(pk=business.pk).update(**fields)
    record_event(
        "business.change",
        actor=actor,
        object_type="business",
        object_id=business.credit_code,
        region_code=business.region_code,
        details={"fields": sorted(application.changes)},
    )
