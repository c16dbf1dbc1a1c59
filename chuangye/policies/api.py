"""The policy calculator over the API: the catalogue, and deciding one policy for given facts.

Both are public for now (no personal data is stored: the calculator keeps nothing). Refusals use the
project's error shape: an unknown policy is 404, bad facts 422 naming the field (``facts.<name>``).
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import ConfigDict, Field

from chuangye.policies.decide import decide_request
from chuangye.policies.selectors import policy_list

router = Router(tags=["政策规则"])


class DecideIn(Schema):
    model_config = ConfigDict(extra="forbid")

    facts: dict[str, Any] = Field(description="事实数据（字段见政策目录；日期为 YYYY-MM-DD，金额为字符串）")
    on: str = Field(description="决定日期，YYYY-MM-DD")
    region: str | None = Field(default=None, description="行政区划代码（6位）；不填则按全国默认参数")


class CriterionOut(Schema):
    code: str
    label: str
    passed: bool
    reason: str


class ParameterOut(Schema):
    name: str
    value: Any
    source: str


class DecideOut(Schema):
    policy: str
    eligible: bool
    amount: str | None
    criteria: list[CriterionOut]
    parameters: list[ParameterOut]


class NamedOut(Schema):
    code: str
    label: str


class FactOut(Schema):
    name: str
    label: str


class PolicyOut(Schema):
    code: str
    title: str
    plan: int
    plan_title: str
    legal_basis: list[str]
    facts: list[FactOut]
    criteria: list[NamedOut]
    amount_label: str
    notes: str


@router.get("", response=list[PolicyOut], auth=None, summary="政策目录")
def list_policies(request: HttpRequest) -> list[dict[str, Any]]:
    return policy_list()


@router.post("/{code}/decide", response=DecideOut, auth=None, summary="按事实数据判断是否符合政策及金额")
def decide_policy(request: HttpRequest, code: str, payload: DecideIn) -> dict[str, Any]:
    return decide_request(code, payload.facts, payload.on, payload.region)
