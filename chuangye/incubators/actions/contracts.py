"""Incubation contracts: moving in, ending, reported jobs, satisfaction surveys and evaluations."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from chuangye.accounts.models import Role, User
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.inbox.actions import notify
from chuangye.incubators import inputs
from chuangye.incubators.actions.common import _audit, _require_manager
from chuangye.incubators.models import Carrier, Contract, Evaluation, SatisfactionSurvey, Space


@transaction.atomic
def contract_move_in(
    *, actor: Any, contract: Contract, on: dt.date | None = None, request: HttpRequest | None = None
) -> Contract:
    _require_manager(actor, contract.carrier)
    fresh = Contract.objects.select_for_update().get(pk=contract.pk)
    if fresh.status != Contract.Status.SIGNED:
        raise ConflictError("该协议当前状态不能办理入驻")
    day = on or timezone.localdate()
    if day > timezone.localdate():
        raise FieldValueError("on", "入驻日期", "不能晚于今天")
    if day < fresh.start_date:
        raise FieldValueError("on", "入驻日期", f"不能早于孵化期起始日 {fresh.start_date:%Y-%m-%d}")
    fresh.status, fresh.moved_in_on = Contract.Status.IN_INCUBATION, day
    fresh.save(update_fields=["status", "moved_in_on"])
    _audit("move_in", actor, fresh, fresh.carrier.region_code, request, on=day.isoformat())
    notify(
        fresh.tenant_user, f"已办理入驻：{fresh.carrier.name}", f"场地 {fresh.space.code}，入驻日期 {day:%Y-%m-%d}。"
    )
    return fresh


@transaction.atomic
def contract_end(
    *,
    actor: Any,
    contract: Contract,
    outcome: str,
    on: dt.date | None = None,
    reason: str = "",
    jobs_created: int | None = None,
    request: HttpRequest | None = None,
) -> Contract:
    """Move-out: graduation (出孵毕业) by the operator or bureau, or early exit (提前退出) asked by the tenant or
    recorded by the operator, with a reason. A tenant who never moved in can only withdraw (未入驻解约). The space
    becomes free again."""
    fresh = Contract.objects.select_for_update().select_related("carrier", "space").get(pk=contract.pk)
    is_tenant = getattr(actor, "pk", None) == fresh.tenant_user_id
    if outcome not in ("graduated", "exited"):
        raise FieldValueError("outcome", "出孵方式", "请选择毕业出孵或提前退出")
    if not is_tenant or outcome == "graduated":
        _require_manager(actor, fresh.carrier)
    if fresh.status not in Contract.OPEN:
        raise ConflictError("该协议已结束")
    if fresh.status == Contract.Status.SIGNED and outcome == "graduated":
        raise ConflictError("尚未入驻，不能毕业出孵")
    day = on or timezone.localdate()
    if day > timezone.localdate():
        raise FieldValueError("on", "出孵日期", "不能晚于今天")
    if fresh.moved_in_on and day < fresh.moved_in_on:
        raise FieldValueError("on", "出孵日期", "不能早于入驻日期")
    if outcome == "exited" and len(reason.strip()) < 2:
        raise FieldValueError("reason", "退出原因", "提前退出须写明原因")
    if fresh.status == Contract.Status.SIGNED:
        fresh.status = Contract.Status.CANCELLED
    else:
        fresh.status = Contract.Status(outcome)
        fresh.moved_out_on = day
    fresh.exit_reason = reason.strip()[:300]
    if jobs_created is not None:
        fresh.jobs_created = jobs_created
    fresh.save()
    Space.objects.filter(pk=fresh.space_id).update(status=Space.Status.AVAILABLE)
    _tell_operator_of_next(fresh.carrier, fresh.space)
    _audit("move_out", actor, fresh, fresh.carrier.region_code, request, outcome=fresh.status, on=day.isoformat())
    notify(fresh.tenant_user, f"{fresh.get_status_display()}：{fresh.carrier.name}", fresh.exit_reason)
    return fresh


def _tell_operator_of_next(carrier: Carrier, space: Space) -> None:
    """A space is free again: tell the operator's staff who heads the waiting list for that kind of space."""
    from chuangye.incubators.selectors import waiting_list

    head = waiting_list(carrier, space.kind).first()
    if head is None:
        return
    for staff in User.objects.filter(organisation=carrier.operator, role=Role.PARTNER, is_active=True):
        notify(
            staff,
            f"场地 {space.code} 已空出",
            f"{carrier.name}：排队第一位为 {head.case.number}（优先分{head.score}）。",
            link=f"/incubators/manage/applications/{head.pk}/",
        )


@transaction.atomic
def contract_report_jobs(
    *, actor: Any, contract: Contract, jobs_created: int, request: HttpRequest | None = None
) -> Contract:
    _require_manager(actor, contract.carrier)
    if jobs_created < 0 or jobs_created > 100000:
        raise FieldValueError("jobs_created", "带动就业人数", "应为0至100000的整数")
    Contract.objects.filter(pk=contract.pk).update(jobs_created=jobs_created)
    contract.refresh_from_db()
    _audit("report_jobs", actor, contract, contract.carrier.region_code, request, jobs=jobs_created)
    return contract


@transaction.atomic
def survey_submit(
    *, actor: Any, contract: Contract, data: Any, request: HttpRequest | None = None
) -> SatisfactionSurvey:
    """The tenant's satisfaction survey, once a year, while in incubation or in the year they left."""
    contract = Contract.objects.select_related("carrier").get(pk=contract.pk)
    if getattr(actor, "pk", None) != contract.tenant_user_id:
        raise DomainError("只有入驻主体本人可以填写满意度问卷", code="forbidden", status=403)
    if contract.status in (Contract.Status.SIGNED, Contract.Status.CANCELLED):
        raise ConflictError("入驻后才能评价")
    year = timezone.localdate().year
    rating = inputs.integer(data, "rating", "总体满意度", minimum=1, maximum=5)
    if SatisfactionSurvey.objects.filter(contract=contract, year=year).exists():
        raise ConflictError(f"您已提交{year}年度的满意度问卷")
    survey = SatisfactionSurvey.objects.create(
        contract=contract,
        year=year,
        rating=rating,
        comment=inputs.text(data, "comment", "意见建议", max_len=500, required=False),
    )
    _audit("survey", actor, survey, contract.carrier.region_code, request, year=year)
    return survey


@transaction.atomic
def evaluation_record(
    *, actor: Any, carrier: Carrier, year: int, conclusion: str, request: HttpRequest | None = None
) -> Evaluation:
    """The bureau's annual evaluation: indicators computed from the data, compared with the demonstration
    criteria in force at the year's end (or today for the current year), and frozen."""
    from chuangye.incubators.selectors import evaluation_rows

    if actor.role not in (Role.OFFICER, Role.SUPERVISOR):
        raise DomainError("年度评价由人社部门作出", code="forbidden", status=403)
    _require_manager(actor, carrier)
    if year > timezone.localdate().year or year < 2000:
        raise FieldValueError("year", "年度", "应为本年度或以前的年度")
    if len(conclusion.strip()) < 4:
        raise FieldValueError("conclusion", "评价意见", "至少4个字")
    if Evaluation.objects.filter(carrier=carrier, year=year).exists():
        raise ConflictError(f"{year}年度已评价")
    indicators, criteria = evaluation_rows(carrier, year)
    stored = {
        "indicators": {k: (str(v) if v is not None else None) for k, v in indicators.items()},
        "criteria": [
            {k: (str(v) if k in ("value", "threshold") and v is not None else v) for k, v in row.items()}
            for row in criteria
        ],
    }
    evaluation = Evaluation.objects.create(
        carrier=carrier,
        year=year,
        indicators=stored,
        meets_criteria=all(row["passed"] for row in criteria),
        conclusion=conclusion.strip()[:2000],
        evaluated_by=actor,
    )
    _audit("evaluate", actor, evaluation, carrier.region_code, request, year=year, meets=evaluation.meets_criteria)
    return evaluation
