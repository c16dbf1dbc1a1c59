"""Bad input is refused with a Chinese message naming the field; good input is read exactly."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from chuangye.core.errors import DomainError, FieldValueError
from chuangye.policies.decide import decide, parse_on
from chuangye.policies.facts import parse_facts
from chuangye.policies.resolver import national_snapshot

ON = dt.date(2024, 6, 15)


@pytest.mark.parametrize(
    ("facts", "field", "message"),
    [
        ({"favourite_colour": "red"}, "facts.favourite_colour", "「favourite_colour」是未知字段"),
        ({"birth_date": "2023-02-30"}, "facts.birth_date", "「出生日期」2023-02-30 不是有效日期"),
        ({"birth_date": "30/01/1990"}, "facts.birth_date", "「出生日期」应为日期，格式 YYYY-MM-DD"),
        ({"birth_date": 19900130}, "facts.birth_date", "「出生日期」应为日期，格式 YYYY-MM-DD"),
        ({"employed": "yes"}, "facts.employed", "「是否已就业」应为 true 或 false"),
        ({"prior_guaranteed_loans": "2"}, "facts.prior_guaranteed_loans", "「此前获得创业担保贷款次数」应为整数"),
        (
            {"prior_guaranteed_loans": -1},
            "facts.prior_guaranteed_loans",
            "「此前获得创业担保贷款次数」应在 0 到 99 之间",
        ),
        ({"requested_amount": "-100.00"}, "facts.requested_amount", "「申请贷款金额」不能为负数"),
        ({"requested_amount": "100.001"}, "facts.requested_amount", "「申请贷款金额」最多保留两位小数（精确到分）"),
        ({"requested_amount": 100.5}, "facts.requested_amount", "「申请贷款金额」必须是以元为单位的金额，例如 1234.56"),
        (
            {"si_contribution_paid": "abc"},
            "facts.si_contribution_paid",
            "「实际缴纳的社会保险费」不是有效的金额，例如 1234.56",
        ),
        ({"sex": "X"}, "facts.sex", "「性别」应为以下之一：M、F"),
        ({"key_groups": ["graduate", "astronaut"]}, "facts.key_groups.1", None),
        ({"key_groups": "graduate"}, "facts.key_groups", "「重点群体类别」应为列表"),
        ({"annual_rate": "4.35"}, "facts.annual_rate", None),
        ({"annual_rate": "0.0000001"}, "facts.annual_rate", "「贷款年利率」精度不能超过 0.0001%（小数点后 6 位）"),
        ({"days": 0}, "facts.days", "「计息天数」应在 1 到 1100 之间"),
        ({"partners": [{"birth_date": "1990-02-30"}]}, "facts.partners.0.birth_date", None),
        ({"partners": [{"partners": []}]}, "facts.partners.0.partners", "「partners」是未知字段"),
    ],
)
def test_bad_facts_name_the_field(facts, field, message):
    with pytest.raises(FieldValueError) as caught:
        parse_facts(facts)
    assert caught.value.errors[0].field == field
    if message:
        assert caught.value.message == message


def test_facts_must_be_an_object():
    with pytest.raises(FieldValueError, match="应为 JSON 对象"):
        parse_facts(["graduate"])


def test_good_facts_are_exact_and_normalised():
    facts = parse_facts(
        {
            "birth_date": "1999-05-01",
            "sex": "f",
            "key_groups": ["graduate", "graduate", "veteran"],
            "requested_amount": 150000,
            "annual_rate": "4.35%",
            "course": "syb",
            "employed": None,
        }
    )
    assert facts.values["birth_date"] == dt.date(1999, 5, 1)
    assert facts.values["sex"] == "F"
    assert facts.values["key_groups"] == frozenset({"graduate", "veteran"})
    assert facts.values["requested_amount"] == Fraction(150000)
    assert facts.values["annual_rate"] == Fraction(Decimal("0.0435"))
    assert facts.values["employed"] is None
    assert facts.values["prior_guaranteed_loans"] == 0  # the harmless default
    assert facts.canonical == {
        "birth_date": "1999-05-01",
        "sex": "F",
        "key_groups": ["veteran", "graduate"],
        "requested_amount": "150000.00",
        "annual_rate": "0.0435",
        "course": "SYB",
    }


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2024-02-30", "「决定日期」2024-02-30 不是有效日期"),
        ("2024/01/01", "「决定日期」应为日期，格式 YYYY-MM-DD"),
        (None, "「决定日期」应为日期，格式 YYYY-MM-DD"),
        ("1989-12-31", "「决定日期」应在 1990-01-01 至 2100-12-31 之间"),
    ],
)
def test_bad_decision_dates(value, message):
    with pytest.raises(FieldValueError) as caught:
        parse_on(value)
    assert caught.value.errors[0].field == "on"
    assert caught.value.message == message


def test_unknown_policy_is_not_found_and_names_the_field():
    with pytest.raises(DomainError) as caught:
        decide("loan.moon", {}, on=ON, snapshot=national_snapshot(ON))
    assert caught.value.status == 404
    assert caught.value.errors[0].field == "policy"


def test_interest_subsidy_needs_the_loan_details():
    with pytest.raises(FieldValueError) as caught:
        decide("loan.interest_subsidy", {"contract_date": "2024-01-01"}, on=ON, snapshot=national_snapshot(ON))
    assert caught.value.errors[0].field == "facts.principal"
    assert caught.value.message == "「贷款本金」必填"


def test_a_decision_date_before_the_catalogue_covers_it_is_refused():
    on = dt.date(2020, 4, 14)
    with pytest.raises(FieldValueError) as caught:
        decide("loan.enterprise", {"is_small_micro": True}, on=on, snapshot=national_snapshot(on))
    assert caught.value.errors[0].field == "on"
    assert "2020-04-15" in caught.value.message
