import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chuangye.core.errors import FieldValueError
from chuangye.core.ids import (
    USCC_ALPHABET,
    build_credit_code,
    encode_org_body,
    generate_resident_id,
    issue_credit_code,
    organisation_check_char,
    parse_credit_code,
    parse_resident_id,
    upgrade_legacy_id,
)

TODAY = dt.date(2026, 11, 26)


def test_the_standard_example_id_parses():
    parsed = parse_resident_id("11010519491231002x", today=TODAY)
    assert parsed.number == "11010519491231002X"
    assert parsed.birth_date == dt.date(1949, 12, 31)
    assert parsed.sex == "F"
    assert parsed.region_code == "110105"


def test_a_region_created_after_the_birth_year_is_accepted():
    # 锦江区 (510104) dates from 1990; people born earlier who got their number there are real people.
    number = generate_resident_id("510104", dt.date(1975, 3, 2), "M", 12)
    assert parse_resident_id(number, today=TODAY).region_code == "510104"


def test_a_fifteen_digit_number_is_upgraded():
    legacy = "110105491231002"
    assert upgrade_legacy_id(legacy) == "11010519491231002X"
    assert parse_resident_id(legacy, today=TODAY).number == "11010519491231002X"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("1101051949123100", "应为18位"),
        ("11010519491231002A", "只能由数字组成"),
        ("110105194912310021", "校验位不正确"),
        (generate_resident_id("110105", dt.date(2030, 1, 1), "M", 1), "不合理"),
    ],
)
def test_bad_ids_name_the_field(value, problem):
    with pytest.raises(FieldValueError) as caught:
        parse_resident_id(value, field="applicant_id", label="申请人身份证号", today=TODAY)
    assert caught.value.message.startswith("「申请人身份证号」")
    assert caught.value.field_name == "applicant_id"
    assert problem in caught.value.message


def test_an_impossible_birth_date_is_refused():
    body = "11010519490231002"  # 31 February
    from stdnum.cn import ric

    number = body + ric.calc_check_digit(body + "0")
    with pytest.raises(FieldValueError, match="出生日期不存在"):
        parse_resident_id(number, today=TODAY)


regions = st.sampled_from(["110105", "510104", "510107", "500235", "650102", "440305"])
births = st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2008, 12, 31))


@given(region=regions, birth=births, sex=st.sampled_from(["M", "F"]), seq=st.integers(0, 499))
def test_generated_ids_validate_and_round_trip(region, birth, sex, seq):
    number = generate_resident_id(region, birth, sex, seq)
    parsed = parse_resident_id(number.lower(), today=TODAY)
    assert (parsed.number, parsed.birth_date, parsed.sex, parsed.region_code) == (number, birth, sex, region)


def test_the_standard_example_credit_code_parses():
    code = parse_credit_code("91350100M000100Y43")
    assert (code.authority, code.kind, code.region_code, code.organisation_code) == (
        "9",
        "1",
        "350100",
        "M000100Y4",
    )


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("91350100M000100Y4", "应为18位"),
        ("91350100M000100O43", "不允许的字符"),
        ("9A350100M000100Y43", "格式不正确"),
        ("91350100M000100Y53", "组织机构代码校验位"),
        ("91350100M000100Y44", "校验位不正确"),
    ],
)
def test_bad_credit_codes_name_the_field(value, problem):
    with pytest.raises(FieldValueError) as caught:
        parse_credit_code(value)
    assert caught.value.message.startswith("「统一社会信用代码」")
    assert problem in caught.value.message


bodies = st.text(alphabet=USCC_ALPHABET, min_size=8, max_size=8)


@given(kind=st.sampled_from("123"), region=regions, body=bodies)
def test_built_credit_codes_validate_and_round_trip(kind, region, body):
    code = build_credit_code("9", kind, region, body)
    parsed = parse_credit_code(code)
    assert parsed.code == code
    assert (parsed.kind, parsed.region_code, parsed.organisation_code[:8]) == (kind, region, body)
    assert parsed.organisation_code[8] == organisation_check_char(body)


@given(seq=st.integers(min_value=0, max_value=31**6 - 1))
def test_organisation_bodies_are_distinct_and_in_the_alphabet(seq):
    body = encode_org_body(seq)
    assert len(body) == 8 and body.startswith("MA")
    assert all(c in USCC_ALPHABET for c in body)
    if seq:
        assert encode_org_body(seq - 1) != body


@pytest.mark.django_db
def test_issued_credit_codes_are_valid_sequential_and_unique():
    codes = [issue_credit_code("510104", "individual") for _ in range(50)]
    assert len(set(codes)) == 50
    for code in codes:
        parsed = parse_credit_code(code)
        assert parsed.kind == "2" and parsed.region_code == "510104"
    other = issue_credit_code("510107", "enterprise")
    assert parse_credit_code(other).region_code == "510107"
