"""Cases over the API: the same scope, roles and conflict rules as the web pages."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from chuangye.cases import actions, types
from chuangye.cases.access import access_case_by_id, cases_for
from chuangye.cases.models import Case
from chuangye.cases.selectors import available_actions

router = Router(tags=["办件"])


class EventOut(Schema):
    at: dt.datetime
    action: str
    from_state: str
    to_state: str
    comment: str
    actor: str

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return obj.actor.real_name if obj.actor else "系统"


class CaseOut(Schema):
    id: int
    number: str
    case_type: str
    title: str
    state: str
    state_label: str
    accepting_region: str
    region_code: str
    submitted_at: dt.datetime
    due_at: dt.datetime | None
    due_provisional: bool
    decided_at: dt.datetime | None
    version: int

    @staticmethod
    def resolve_title(obj: Case) -> str:
        return types.get(obj.case_type).title

    @staticmethod
    def resolve_state_label(obj: Case) -> str:
        return types.get(obj.case_type).states.get(obj.state, obj.state)


class CaseDetailOut(CaseOut):
    events: list[EventOut]
    actions: list[str]

    @staticmethod
    def resolve_events(obj: Case) -> list[Any]:
        return list(obj.events.select_related("actor"))

    @staticmethod
    def resolve_actions(obj: Case, context: dict[str, Any]) -> list[str]:
        return [t.action for t in available_actions(obj, context["request"].user)]


class TransitionIn(Schema):
    action: str
    comment: str = ""
    version: int


@router.get("/cases", response=list[CaseOut], summary="办件列表（本人或管辖范围内）")
@paginate(LimitOffsetPagination)
def list_cases(request: HttpRequest, state: str = "", case_type: str = "") -> Any:
    cases = cases_for(request.user)
    if state:
        cases = cases.filter(state=state)
    if case_type:
        cases = cases.filter(case_type=case_type)
    return cases.order_by("-submitted_at")


@router.get("/cases/{case_id}", response=CaseDetailOut, summary="办件详情与办理记录")
def get_case(request: HttpRequest, case_id: int) -> Case:
    return access_case_by_id(request.user, case_id)


@router.post("/cases/{case_id}/transitions", response=CaseOut, summary="办理操作（须带上看到的版本号，防止并发覆盖）")
def transition(request: HttpRequest, case_id: int, payload: TransitionIn) -> Case:
    case = access_case_by_id(request.user, case_id)
    return actions.case_transition(
        case=case,
        action=payload.action,
        actor=request.user,
        comment=payload.comment,
        expected_version=payload.version,
        request=request,
    )
