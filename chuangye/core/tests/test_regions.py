import pytest

from chuangye.core.errors import FieldValueError
from chuangye.core.models import Region
from chuangye.core.regions import in_scope, level_of, load_regions, significant_prefix, validate_region_code


@pytest.mark.parametrize(
    ("scope", "code", "inside"),
    [
        ("510104", "510104", True),  # a county sees itself
        ("510104", "510107", False),  # not the neighbouring county
        ("510100", "510104", True),  # the city sees its counties
        ("510100", "510100", True),
        ("510100", "511623", False),  # another city of the same province
        ("510000", "511623", True),  # the province sees every city and county
        ("510000", "500235", False),  # Chongqing (50) is not inside Sichuan (51)
        ("000000", "650102", True),  # national scope
        ("510104", "", False),
        ("510104", "5101", False),
    ],
)
def test_in_scope_is_a_prefix_test_on_significant_digits(scope, code, inside):
    assert in_scope(scope, code) is inside


def test_significant_prefix_and_level():
    assert significant_prefix("510000") == "51"
    assert significant_prefix("510100") == "5101"
    assert significant_prefix("510104") == "510104"
    assert [level_of(c) for c in ("510000", "510100", "510104")] == ["province", "city", "county"]
    with pytest.raises(ValueError):
        significant_prefix("51")


@pytest.mark.django_db
def test_the_division_list_is_loaded_with_parents():
    assert Region.objects.filter(level="province").count() == 34
    assert Region.objects.count() > 3000
    jinjiang = Region.objects.get(code="510104")
    assert jinjiang.full_name == "四川省成都市锦江区"
    assert jinjiang.parent.code == "510100"
    assert jinjiang.parent.parent.code == "510000"
    # Municipalities have no city level: Chongqing's counties hang directly under it.
    assert Region.objects.get(code="500235").parent_id == "500000"
    # Abolished divisions are not current (成都市东城区 existed 1983–1990).
    assert not Region.objects.filter(code="510102").exists()


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    before = Region.objects.count()
    assert load_regions() == before
    assert Region.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(("value", "problem"), [("51010", "6位数字"), ("abcdef", "6位数字"), ("510102", "不是现行")])
def test_validate_region_code_names_the_field(value, problem):
    with pytest.raises(FieldValueError) as caught:
        validate_region_code(value, field="residence", label="常住地")
    assert caught.value.message.startswith("「常住地」")
    assert problem in caught.value.message


@pytest.mark.django_db
def test_validate_region_code_accepts_a_current_code():
    assert validate_region_code(" 510107 ") == "510107"
