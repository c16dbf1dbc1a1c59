from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chuangye.core.errors import FieldValueError
from chuangye.core.money import allocate, money_limit, parse_money, to_fen


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1308.125", "1308.13"),  # QUALITY.md golden case: half-up, not banker's rounding
        ("1308.124999", "1308.12"),
        ("0.005", "0.01"),
        ("0.015", "0.02"),
        ("2.675", "2.68"),
        ("-1.005", "-1.01"),  # half-up is away from zero for refunds too
        ("100", "100.00"),
    ],
)
def test_to_fen_rounds_half_up(raw, expected):
    assert to_fen(Decimal(raw)) == Decimal(expected)
    assert str(to_fen(Decimal(raw))) == expected


def test_to_fen_refuses_float():
    with pytest.raises(TypeError):
        to_fen(1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("12.345", "最多保留两位小数"),
        ("-1", "不能为负数"),
        ("abc", "不是有效的金额"),
        ("NaN", "不是有效的金额"),
        (12.5, "必须是以元为单位的金额"),
        (None, "必须是以元为单位的金额"),
        ("1000000000000", "不能超过"),
    ],
)
def test_parse_money_refuses_with_the_field_named(value, problem):
    with pytest.raises(FieldValueError) as caught:
        parse_money(value, field="principal", label="贷款本金")
    assert caught.value.field_name == "principal"
    assert caught.value.message.startswith("「贷款本金」")
    assert problem in caught.value.message


def test_parse_money_accepts_exact_amounts():
    assert parse_money("300,000", field="a", label="金额") == Decimal("300000.00")
    assert parse_money(5, field="a", label="金额") == Decimal("5.00")
    assert parse_money("-3.10", field="a", label="金额", allow_negative=True) == Decimal("-3.10")
    assert parse_money(str(money_limit()), field="a", label="金额") == money_limit()


def test_parse_money_respects_a_maximum_and_zero_rule():
    with pytest.raises(FieldValueError, match=r"300,000\.00"):
        parse_money("300000.01", field="a", label="金额", maximum=Decimal("300000"))
    with pytest.raises(FieldValueError, match="必须大于零"):
        parse_money("0", field="a", label="金额", allow_zero=False)


fen_amounts = st.integers(min_value=-(10**12), max_value=10**12).map(lambda f: Decimal(f) / 100)
weights = st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=30).filter(any)


@given(total=fen_amounts, parts=weights)
def test_allocation_always_sums_exactly(total, parts):
    shares = allocate(total, parts)
    assert sum(shares, Decimal(0)) == total
    assert len(shares) == len(parts)
    weight_sum = sum(parts)
    for share, weight in zip(shares, parts, strict=True):
        exact = total * weight / weight_sum
        assert abs(share - exact) < Decimal("0.01")  # no part is off by a whole 分 or more
        assert share == share.quantize(Decimal("0.01"))
        if weight == 0:
            assert share == 0


def test_allocation_gives_leftover_fen_to_largest_remainders():
    assert allocate(Decimal("100.00"), [1, 1, 1]) == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert allocate(Decimal("0.05"), [1, 3]) == [Decimal("0.01"), Decimal("0.04")]


def test_allocation_refuses_bad_input():
    with pytest.raises(ValueError, match="分"):
        allocate(Decimal("1.001"), [1])
    with pytest.raises(ValueError, match="zero"):
        allocate(Decimal("1"), [0, 0])
    with pytest.raises(ValueError, match="negative"):
        allocate(Decimal("1"), [1, -1])
