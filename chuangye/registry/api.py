"""People over the API: scoped exactly like the workbench; identifiers masked unless revealed with a reason."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from chuangye.accounts.access import require_role
from chuangye.accounts.api import require_scope
from chuangye.accounts.models import STAFF_ROLES
from chuangye.registry.access import access_person_by_id
from chuangye.registry.actions import person_reveal_field
from chuangye.registry.models import Person
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
