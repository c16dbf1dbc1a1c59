"""Submitting registration applications: checked here, then handed to the case engine."""

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from chuangye.cases.actions import case_submit
from chuangye.cases.models import Case
from chuangye.core.errors import DomainError, FieldValueError
from chuangye.core.files import attachment_create, check_file_count
from chuangye.core.money import parse_money
from chuangye.core.regions import validate_region_code
from chuangye.registration.decisions import CHANGEABLE
from chuangye.registration.models import Application
from chuangye.registry.actions import person_get_or_create
from chuangye.registry.models import Business, Founder, Industry
from chuangye.registry.validation import clean_date

CHANGE_WINDOW_DAYS = 30  # 变更登记: within 30 days of the decision that caused the change
FOUNDER_ROLES = {"operator": "经营者", "legal_rep": "法定代表人", "shareholder": "股东", "member": "成员"}


def _text(value: object, field: str, label: str, max_length: int) -> str:
    text = str(value or "").strip()
    if not text:
        raise FieldValueError(field, label, "不能为空")
    if len(text) > max_length:
        raise FieldValueError(field, label, f"不能超过{max_length}个字")
    if text[0] in "=+-@":
        raise FieldValueError(field, label, "不能以公式符号开头")
    return text


def _founders(actor: Any, raw: Sequence[dict[str, object]], kind: str) -> list[dict[str, object]]:
    if not raw:
        raise FieldValueError("founders", "投资人（经营者）", "至少填写一人")
    if kind == Application.Kind.INDIVIDUAL and len(raw) != 1:
        raise FieldValueError("founders", "投资人（经营者）", "个体工商户只有一名经营者")
    founders, seen = [], set()
    for index, item in enumerate(raw, start=1):
        person = person_get_or_create(actor=actor, name=item.get("name"), id_number=item.get("id_number"))
        if person.pk in seen:
            raise FieldValueError("founders", "投资人（经营者）", f"第{index}人重复")
        seen.add(person.pk)
        role = str(item.get("role") or ("operator" if kind == Application.Kind.INDIVIDUAL else "shareholder"))
        if role not in FOUNDER_ROLES:
            raise FieldValueError("founders", "投资人角色", f"第{index}人的角色不正确")
        share = item.get("share_percent")
        founders.append({"person_id": person.pk, "role": role, "share_percent": str(share) if share else None})
    if kind != Application.Kind.INDIVIDUAL and not any(f["role"] == "legal_rep" for f in founders):
        founders[0]["role"] = "legal_rep"
    return founders


def _attach(case: Case, actor: Any, files: Sequence[UploadedFile]) -> None:
    for upload in check_file_count(files, field="materials", label="申请材料"):
        attachment_create(
            upload=upload,
            object_type="case",
            object_id=case.pk,
            region_code=case.region_code,
            actor=actor,
            field="materials",
            label="申请材料",
        )


@transaction.atomic
def registration_establish_submit(
    *,
    applicant: Any,
    data: Mapping[str, object],
    founders: Sequence[dict[str, object]],
    accepting_region: str = "",
    materials: Sequence[UploadedFile] = (),
    idempotency_key: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """Apply to register a new 个体工商户, company or cooperative. The registration authority is the office of the
    address's county; ``accepting_region`` is where the applicant hands it in (异地可办), the same by default."""
    kind = str(data.get("kind") or "")
    if kind not in Application.Kind.values:
        raise FieldValueError("kind", "主体类型", "应为个体工商户、有限责任公司或农民专业合作社")
    region = validate_region_code(data.get("region_code"), field="region_code", label="登记机关所在地")
    accepting = validate_region_code(accepting_region or region, field="accepting_region", label="受理地")
    industry = str(data.get("industry") or "")
    if industry not in Industry.values:
        raise FieldValueError("industry", "行业门类", "请选择国民经济行业门类")
    capital_raw = data.get("capital")
    capital = (
        parse_money(capital_raw, field="capital", label="注册资本（出资额）") if capital_raw not in (None, "") else None
    )
    name = _text(data.get("name"), "name", "名称", 100)
    address = _text(data.get("address"), "address", "住所（经营场所）", 200)
    scope = _text(data.get("business_scope"), "business_scope", "经营范围", 2000)
    people = _founders(applicant, founders, kind)
    person = getattr(applicant, "person", None)
    if person is None or person.pk not in {f["person_id"] for f in people}:
        raise FieldValueError("founders", "投资人（经营者）", "申请人本人须是投资人或经营者之一")

    def payload(case: Case) -> None:
        Application.objects.create(
            case=case,
            kind=kind,
            name=name,
            address=address,
            region_code=region,
            business_scope=scope,
            industry=industry,
            capital=capital,
            founders=people,
        )
        _attach(case, applicant, materials)

    case, _ = case_submit(
        case_type_code="registration.establish",
        applicant_user=applicant,
        accepting_region=accepting,
        deciding_region=region,
        person=person,
        idempotency_key=idempotency_key,
        build_payload=payload,
        request=request,
    )
    return case


def _own_business(applicant: Any, business: Business) -> Any:
    person = getattr(applicant, "person", None)
    if person is None or not Founder.objects.filter(business=business, person=person).exists():
        raise DomainError("只有该市场主体的投资人或经营者可以申请", code="forbidden", status=403)
    if business.status == Business.Status.CANCELLED:
        raise DomainError("该市场主体已注销", code="cancelled")
    return person


def _submit_for_business(
    case_type_code: str,
    *,
    applicant: Any,
    person: Any,
    business: Business,
    idempotency_key: str,
    request: HttpRequest | None,
    **payload_fields: Any,
) -> Case:
    """Open a change or deregistration case for an existing business; its payload copies the business's record."""

    def payload(case: Case) -> None:
        Application.objects.create(
            case=case,
            kind=business.kind,
            name=business.name,
            address=business.address,
            region_code=business.region_code,
            business_scope=business.business_scope,
            industry=business.industry,
            business=business,
            **payload_fields,
        )

    case, _ = case_submit(
        case_type_code=case_type_code,
        applicant_user=applicant,
        accepting_region=business.region_code,
        deciding_region=business.region_code,
        person=person,
        business=business,
        idempotency_key=idempotency_key,
        build_payload=payload,
        request=request,
    )
    return case


@transaction.atomic
def registration_change_submit(
    *,
    applicant: Any,
    business: Business,
    changes: dict[str, object],
    resolution_date: object,
    idempotency_key: str = "",
    request: HttpRequest | None = None,
) -> Case:
    person = _own_business(applicant, business)
    clean = {k: _text(v, k, CHANGEABLE[k], 2000) for k, v in changes.items() if k in CHANGEABLE and v}
    clean = {k: v for k, v in clean.items() if v != getattr(business, k)}
    if not clean:
        raise FieldValueError("changes", "变更事项", "没有需要变更的内容")
    decided = clean_date(resolution_date, field="resolution_date", label="变更决议日期")
    today = timezone.localdate()
    if decided is None or decided > today:
        raise FieldValueError("resolution_date", "变更决议日期", "须填写已作出决议的日期")
    if today - decided > dt.timedelta(days=CHANGE_WINDOW_DAYS):
        raise FieldValueError(
            "resolution_date", "变更决议日期", f"应自作出变更决议之日起{CHANGE_WINDOW_DAYS}日内申请变更登记，已超过期限"
        )

    return _submit_for_business(
        "registration.change",
        applicant=applicant,
        person=person,
        business=business,
        idempotency_key=idempotency_key,
        request=request,
        changes=clean,
        resolution_date=decided,
    )


@transaction.atomic
def registration_deregister_submit(
    *, applicant: Any, business: Business, idempotency_key: str = "", request: HttpRequest | None = None
) -> Case:
    person = _own_business(applicant, business)

    return _submit_for_business(
        "registration.deregister",
        applicant=applicant,
        person=person,
        business=business,
        idempotency_key=idempotency_key,
        request=request,
    )
