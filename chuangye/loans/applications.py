"""Applying for a guaranteed loan: checked here, decided by the policy engine, then handed to the case engine.

An application the engine finds ineligible is refused at once, naming every failing criterion, and nothing is
stored; an eligible one is stored with the engine's decision records (eligibility and amount, and for individuals
the counter-guarantee waiver) on the case, so every tier sees why.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from chuangye.accounts.models import Organisation
from chuangye.cases.actions import case_submit
from chuangye.cases.models import Case
from chuangye.core.errors import ConflictError, DomainError, FieldError, FieldValueError
from chuangye.core.files import attachment_create, check_file_count
from chuangye.core.money import parse_money
from chuangye.loans.case_types import OPEN_STATES
from chuangye.loans.facts import application_facts, clean_declarations
from chuangye.loans.models import GuaranteeFund, LoanApplication, LoanKind
from chuangye.loans.params import loan_param
from chuangye.policies.actions import decision_record
from chuangye.policies.decide import decide
from chuangye.policies.evaluate import Outcome
from chuangye.policies.resolver import region_chain
from chuangye.registry.models import Business, Founder, Person

MAX_REQUEST = parse_money("10000000", field="requested_amount", label="申请金额")


def max_term_months(kind: str, *, on: Any, region_code: str) -> int:
    name = "loan.max_term_months.enterprise" if kind == LoanKind.ENTERPRISE else "loan.max_term_months.individual"
    value: int = loan_param(name, on=on, region_code=region_code).value
    return value


def fund_for_region(region_code: str) -> GuaranteeFund:
    """The most local active guarantee fund whose area covers ``region_code`` (county over city over province)."""
    chain = region_chain(region_code)
    funds = {f.region_code: f for f in GuaranteeFund.objects.filter(region_code__in=chain, is_active=True)}
    for code in reversed(chain):
        if code in funds:
            return funds[code]
    raise DomainError("本地区尚未设立创业担保基金，暂不能受理创业担保贷款申请", code="no_fund")


def _bank(value: object, region_code: str) -> Organisation:
    try:
        bank = Organisation.objects.get(pk=int(str(value)), kind=Organisation.Kind.BANK, is_active=True)
    except (ValueError, Organisation.DoesNotExist):
        raise FieldValueError("bank", "经办银行", "请选择经办银行") from None
    if bank.region_code[:4] != region_code[:4]:
        raise FieldValueError("bank", "经办银行", "须选择本市的经办银行")
    return bank


def _business(person: Person, business: Business | None, kind: str) -> Business | None:
    if kind == LoanKind.INDIVIDUAL:
        return None
    if business is None or not Founder.objects.filter(business=business, person=person).exists():
        raise FieldValueError("business", "市场主体", "请选择您创办的市场主体")
    if business.status != Business.Status.OPERATING:
        raise FieldValueError("business", "市场主体", "须为存续状态")
    return business


def ineligible(outcome: Outcome) -> DomainError:
    """The refusal of an ineligible application: every failing criterion named, with the engine's reason."""
    failed = [c for c in outcome.criteria if not c.passed]
    errors = [FieldError(f"criteria.{c.code}", f"「{c.label}」：{c.reason}") for c in failed]
    message = "不符合" + outcome.policy.title + "条件：" + "；".join(f"{c.label}（{c.reason}）" for c in failed)
    return DomainError(message=message, code="ineligible", errors=errors)


@transaction.atomic
def loan_apply(
    *,
    applicant: Any,
    kind: str,
    data: Mapping[str, object],
    business: Business | None = None,
    materials: Sequence[UploadedFile] = (),
    idempotency_key: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """Apply for a loan of ``kind`` (individual, partnership, enterprise). ``data`` holds the amount, term,
    purpose, chosen bank and the applicant's declarations."""
    person: Person | None = getattr(applicant, "person", None)
    if person is None:
        raise DomainError("请先完成实名登记", code="no_person")
    if kind not in LoanKind.values:
        raise FieldValueError("kind", "贷款类别", "应为个人、合伙或小微企业创业担保贷款")
    if idempotency_key:  # the same form sent twice (a double click, a retry) is the same application
        existing = Case.objects.filter(
            applicant_user=applicant, case_type=f"loan.{kind}", idempotency_key=idempotency_key
        ).first()
        if existing is not None:
            return existing
    business = _business(person, business, kind)
    region = business.region_code if business is not None else person.region_code
    today = timezone.localdate()
    amount = parse_money(data.get("requested_amount"), field="requested_amount", label="申请金额", allow_zero=False)
    if amount > MAX_REQUEST:
        raise FieldValueError("requested_amount", "申请金额", f"不能超过 {MAX_REQUEST:,.0f} 元")
    term_text = str(data.get("term_months") or "").strip()
    longest = max_term_months(kind, on=today, region_code=region)
    if not term_text.isdigit() or not 1 <= int(term_text) <= longest:
        raise FieldValueError("term_months", "贷款期限", f"应为 1 至 {longest} 个月（贷款期限上限）")
    purpose = str(data.get("purpose") or "").strip()
    if not 2 <= len(purpose) <= 200 or purpose[0] in "=+-@":
        raise FieldValueError("purpose", "贷款用途", "请用2至200个字说明")
    bank = _bank(data.get("bank"), region)
    fund = fund_for_region(region)
    if LoanApplication.objects.filter(person=person, case__state__in=OPEN_STATES).exists():
        raise ConflictError("您已有一笔正在办理的创业担保贷款申请，请办结后再申请")
    declarations = clean_declarations(data, enterprise=kind == LoanKind.ENTERPRISE)
    facts = application_facts(
        kind=kind, person=person, business=business, requested_amount=str(amount), declarations=declarations, on=today
    )
    policy = f"loan.{kind}"
    outcome = decide(policy, facts, on=today, region_code=region)
    if not outcome.eligible:
        raise ineligible(outcome)

    def payload(case: Case) -> None:
        decision = decision_record(
            policy_code=policy,
            facts=facts,
            on=today,
            region_code=region,
            subject_type="cases.Case",
            subject_id=str(case.pk),
            actor=applicant,
            request=request,
        )
        waiver = None
        if kind == LoanKind.INDIVIDUAL:
            waiver = decision_record(
                policy_code="loan.counter_guarantee_waiver",
                facts=facts,
                on=today,
                region_code=region,
                subject_type="cases.Case",
                subject_id=str(case.pk),
                actor=applicant,
                request=request,
            )
        LoanApplication.objects.create(
            case=case,
            kind=kind,
            person=person,
            business=business,
            region_code=region,
            bank=bank,
            fund=fund,
            requested_amount=amount,
            term_months=int(term_text),
            purpose=purpose,
            declarations=declarations,
            decision=decision,
            waiver_decision=waiver,
            eligible_amount=decision.amount or 0,
            counter_guarantee_waived=bool(waiver and waiver.eligible),
        )
        for upload in check_file_count(materials, field="materials", label="申请材料"):
            attachment_create(
                upload=upload,
                object_type="case",
                object_id=case.pk,
                region_code=region,
                actor=applicant,
                field="materials",
                label="申请材料",
            )

    case, _ = case_submit(
        case_type_code=policy,
        applicant_user=applicant,
        accepting_region=region,
        deciding_region=region,
        person=person,
        business=business,
        idempotency_key=idempotency_key,
        build_payload=payload,
        request=request,
    )
    return case
