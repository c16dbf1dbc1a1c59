"""Facts for the policy engine about a borrower, from the registry and the loan book; the applicant's own
declarations (other debts, honours, hires) added as declared."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Q

from chuangye.core.errors import FieldValueError
from chuangye.loans.models import Loan
from chuangye.policies.facts import KEY_GROUPS
from chuangye.registry.models import Business, Person
from chuangye.registry.selectors import active_key_groups

PERSON_DECLARATIONS = {
    "has_disallowed_debt": "本人及配偶有助学、扶贫、住房、车辆贷款和5万元以下消费贷款以外的其他贷款",
    "honour_city_level": "获得设区的市级以上荣誉称号",
    "recommended_by_demonstration_incubator": "经国家级创业孵化示范载体推荐",
    "second_time_founder_good_record": "诚信经营的二次创业者",
}
ENTERPRISE_DECLARATIONS = {
    "has_wage_or_si_arrears": "有拖欠职工工资或欠缴社会保险费",
}


def _defaulted(on: dt.date) -> Q:
    """A loan in arrears on ``on``, or one the fund had to pay or was written off: the borrower owes it still."""
    arrears = Q(state=Loan.State.ACTIVE, next_unpaid_due__lt=on)
    return arrears | Q(state__in=[Loan.State.COMPENSATED, Loan.State.WRITTEN_OFF])


def borrower_history(*, on: dt.date, person: Person | None = None, business: Business | None = None) -> dict[str, Any]:
    """Loans taken before (the re-loan limit) and whether any is overdue or defaulted (the overdue history)."""
    loans = Loan.objects.filter(person=person) if person is not None else Loan.objects.filter(business=business)
    return {
        "prior_guaranteed_loans": loans.count(),
        "has_overdue_guaranteed_loan": loans.filter(_defaulted(on)).exists(),
    }


def person_facts(person: Person, *, on: dt.date) -> dict[str, Any]:
    groups = sorted(g for g in active_key_groups(person, on) if g in KEY_GROUPS)
    return {
        "birth_date": person.birth_date.isoformat(),
        "sex": person.sex,
        "key_groups": groups,
        **borrower_history(on=on, person=person),
    }


def clean_declarations(raw: Mapping[str, object], *, enterprise: bool) -> dict[str, Any]:
    """The applicant's written declarations: booleans, and for enterprises the number of new key-group hires."""
    names = {**PERSON_DECLARATIONS, **(ENTERPRISE_DECLARATIONS if enterprise else {})}
    clean: dict[str, Any] = {name: _truthy(raw.get(name)) for name in names}
    if enterprise:
        hires = str(raw.get("new_key_group_hires_12m") or "0").strip()
        if not hires.isdigit() or int(hires) > 100_000:
            raise FieldValueError("new_key_group_hires_12m", "近12个月新招用重点群体人数", "应为非负整数")
        clean["new_key_group_hires_12m"] = int(hires)
    return clean


def _recorded_honour(person: Person, on: dt.date) -> bool:
    from chuangye.registry.facts import person_facts as registry_facts

    return registry_facts(person, on).get("honour_city_level") is True


def _truthy(value: object) -> bool:
    return value is True or str(value).lower() in ("1", "true", "on", "yes")


def application_facts(
    *,
    kind: str,
    person: Person,
    business: Business | None,
    requested_amount: str,
    declarations: Mapping[str, Any],
    on: dt.date,
) -> dict[str, Any]:
    """The facts the loan policy of ``kind`` reads, in the policy engine's vocabulary."""
    if kind == "individual":
        own = {k: declarations[k] for k in PERSON_DECLARATIONS}
        # An honour the platform itself recorded (a competition award at city level or above) counts without the
        # applicant having to declare it; a declared one is checked by the bank as before.
        own["honour_city_level"] = bool(own["honour_city_level"]) or _recorded_honour(person, on)
        return {**person_facts(person, on=on), **own, "requested_amount": requested_amount}
    if business is None:
        raise FieldValueError("business", "市场主体", "请选择您创办的市场主体")
    if kind == "partnership":
        partners = Person.objects.filter(founded__business=business).distinct().order_by("id")
        debt = declarations["has_disallowed_debt"]
        return {
            "partners": [{**person_facts(p, on=on), "has_disallowed_debt": debt} for p in partners],
            "requested_amount": requested_amount,
        }
    return {
        "is_small_micro": business.is_small_micro,
        "headcount": business.headcount,
        "new_key_group_hires_12m": declarations["new_key_group_hires_12m"],
        "has_wage_or_si_arrears": declarations["has_wage_or_si_arrears"],
        **borrower_history(on=on, business=business),
        "requested_amount": requested_amount,
    }
