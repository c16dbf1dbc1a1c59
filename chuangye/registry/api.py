"""People over the API: scoped exactly like the workbench; identifiers masked unless revealed with a reason."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from chuangye.accounts.access import require_role
from chuangye.accounts.api import require_scope
from chuangye.accounts.models import STAFF_ROLES, Role
from chuangye.core.errors import DomainError
from chuangye.registry.access import (
    access_business_by_id,
    access_change_by_id,
    access_person_by_id,
    access_status_by_id,
    businesses_for,
    change_requests_for,
    statuses_for,
)
from chuangye.registry.actions import (
    DuplicatePersonError,
    change_request_decide,
    key_group_decide,
    key_group_declare,
    person_create,
    person_reveal_field,
)
from chuangye.registry.models import Business, ChangeRequest, KeyGroupStatus, Person
from chuangye.registry.selectors import person_search

router = Router(tags=["人员"])


class PersonOut(Schema):
    id: int
    name: str
    sex: str
    birth_date: dt.date
    id_number: str
    phone: str
    hukou_region_code: str
    region_code: str

    @staticmethod
    def resolve_id_number(obj: Person) -> str:
        return obj.id_number_masked

    @staticmethod
    def resolve_phone(obj: Person) -> str:
        return obj.phone_masked


class RevealIn(Schema):
    field: str
    reason: str


class RevealOut(Schema):
    field: str
    value: str


@router.get("/people", response=list[PersonOut], summary="人员列表（管辖范围内，脱敏）")
@paginate(LimitOffsetPagination)
def list_people(request: HttpRequest, q: str = "", region_code: str = "") -> Any:
    require_scope(request, "people:read")
    return person_search(user=request.user, query=q, region_code=region_code)


@router.get("/people/{person_id}", response=PersonOut, summary="人员详情（脱敏）")
def get_person(request: HttpRequest, person_id: int) -> Person:
    require_scope(request, "people:read")
    return access_person_by_id(request.user, person_id)


@router.post("/people/{person_id}/reveal", response=RevealOut, summary="查看完整证件号或手机号（需说明原因，留痕）")
def reveal(request: HttpRequest, person_id: int, payload: RevealIn) -> RevealOut:
    person = access_person_by_id(request.user, person_id)
    require_role(request.user, STAFF_ROLES)
    value = person_reveal_field(
        actor=request.user, person=person, field=payload.field, reason=payload.reason, request=request
    )
    return RevealOut(field=payload.field, value=value)


# Registration, key groups, change requests and businesses -------------------------------------------------------


class PersonIn(Schema):
    name: str
    id_number: str
    phone: str = ""
    hukou_region_code: str = ""
    region_code: str
    education: str = ""
    school: str = ""
    graduation_date: str = ""
    employment: str = ""
    confirm_similar: bool = False


class StatusOut(Schema):
    id: int
    person_id: int
    category: str
    category_name: str
    fact: str
    state: str
    valid_from: dt.date
    valid_to: dt.date | None
    declared_at: dt.datetime
    decision_note: str

    @staticmethod
    def resolve_category(obj: KeyGroupStatus) -> str:
        return obj.category.code

    @staticmethod
    def resolve_category_name(obj: KeyGroupStatus) -> str:
        return obj.category.name

    @staticmethod
    def resolve_fact(obj: KeyGroupStatus) -> str:
        return obj.category.fact


class DecisionIn(Schema):
    certify: bool
    note: str = ""
    valid_from: str = ""
    valid_to: str = ""


class ChangeOut(Schema):
    id: int
    person_id: int
    changes: dict[str, list[str]]
    reason: str
    state: str
    requested_at: dt.datetime
    decision_note: str


class ChangeDecisionIn(Schema):
    approve: bool
    note: str = ""


class BusinessOut(Schema):
    id: int
    credit_code: str
    name: str
    kind: str
    region_code: str
    industry: str
    registered_on: dt.date
    headcount: int
    status: str
    is_small_micro: bool


@router.post("/people", response={201: PersonOut}, summary="登记人员（同一身份证号拒绝，同名同出生日期需确认）")
def create_person(request: HttpRequest, payload: PersonIn) -> tuple[int, Person]:
    require_role(request.user, STAFF_ROLES)
    data = payload.dict()
    confirm = data.pop("confirm_similar")
    try:
        created = person_create(actor=request.user, data=data, confirm_similar=confirm, request=request)
    except DuplicatePersonError as error:
        raise DomainError(error.message, code="duplicate", status=409) from None
    return 201, created.person


@router.get("/people/{person_id}/key-groups", response=list[StatusOut], summary="人员的重点群体身份")
def person_statuses(request: HttpRequest, person_id: int) -> Any:
    require_scope(request, "people:read")
    person = access_person_by_id(request.user, person_id)
    return statuses_for(request.user).filter(person=person).select_related("category")


@router.get("/key-groups", response=list[StatusOut], summary="重点群体认定（默认待认定）")
@paginate(LimitOffsetPagination)
def list_statuses(request: HttpRequest, state: str = "pending") -> Any:
    require_role(request.user, STAFF_ROLES)
    return statuses_for(request.user).filter(state=state).select_related("category").order_by("declared_at")


@router.post("/key-groups/{status_id}/decide", response=StatusOut, summary="认定或不予认定")
def decide_status(request: HttpRequest, status_id: int, payload: DecisionIn) -> KeyGroupStatus:
    status = access_status_by_id(request.user, status_id)
    require_role(request.user, STAFF_ROLES)
    return key_group_decide(
        actor=request.user,
        status=status,
        certify=payload.certify,
        note=payload.note,
        valid_from=payload.valid_from,
        valid_to=payload.valid_to,
        request=request,
    )


@router.post("/me/key-groups", response={201: StatusOut}, summary="本人申报重点群体身份（附证明材料）")
def declare_status(
    request: HttpRequest,
    category: Form[str],
    declaration: Form[str] = "",
    evidence: File[list[UploadedFile]] = None,  # type: ignore[assignment]  # optional for staff, not citizens
) -> tuple[int, KeyGroupStatus]:
    require_role(request.user, {Role.CITIZEN})
    person = getattr(request.user, "person", None)
    if person is None:
        raise DomainError("账户尚未关联实名信息", code="no_person", status=409)
    status = key_group_declare(
        actor=request.user,
        person=person,
        category_code=category,
        declaration=declaration,
        evidence=list(evidence or [])[:5],
        request=request,
    )
    return 201, status


@router.get("/change-requests", response=list[ChangeOut], summary="信息变更申请（默认待审核）")
@paginate(LimitOffsetPagination)
def list_changes(request: HttpRequest, state: str = "pending") -> Any:
    return change_requests_for(request.user).filter(state=state).order_by("requested_at")


@router.post("/change-requests/{change_id}/decide", response=ChangeOut, summary="审核信息变更申请")
def decide_change(request: HttpRequest, change_id: int, payload: ChangeDecisionIn) -> ChangeRequest:
    change = access_change_by_id(request.user, change_id)
    require_role(request.user, STAFF_ROLES)
    return change_request_decide(
        actor=request.user, change=change, approve=payload.approve, note=payload.note, request=request
    )


@router.get("/businesses", response=list[BusinessOut], summary="市场主体（管辖范围内）")
@paginate(LimitOffsetPagination)
def list_businesses(request: HttpRequest, q: str = "") -> Any:
    businesses = businesses_for(request.user)
    if q:
        businesses = businesses.filter(name__contains=q) if len(q) != 18 else businesses.filter(credit_code=q.upper())
    return businesses.order_by("id")


@router.get("/businesses/{business_id}", response=BusinessOut, summary="市场主体详情")
def get_business(request: HttpRequest, business_id: int) -> Business:
    return access_business_by_id(request.user, business_id)
