"""Registering people (duplicates refused, look-alikes confirmed), search, and change requests with a diff."""

import datetime as dt

import pytest
from django.test import Client

from chuangye.accounts.testing import make_user, sign_in
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.core.ids import generate_resident_id
from chuangye.registry.actions import DuplicatePersonError, change_request_decide, change_request_submit, person_create
from chuangye.registry.models import Person
from chuangye.registry.selectors import person_search

pytestmark = pytest.mark.django_db
SUN_ID = generate_resident_id("510104", dt.date(1975, 8, 20), "M", 77)


def data(**overrides):
    return {
        "name": "孙建华",
        "id_number": SUN_ID,
        "phone": "13912345678",
        "region_code": "510104",
        "employment": "unemployed",
        **overrides,
    }


def test_an_officer_registers_a_person_with_derived_sex_and_birth_date(wang_fang):
    person = person_create(actor=wang_fang, data=data()).person
    assert (person.sex, person.birth_date, person.hukou_region_code) == ("M", dt.date(1975, 8, 20), "510104")
    assert person.name_initials == "sjh"


def test_the_same_id_number_is_refused_with_a_link_to_the_record(wang_fang):
    first = person_create(actor=wang_fang, data=data()).person
    with pytest.raises(DuplicatePersonError) as caught:
        person_create(actor=wang_fang, data=data(name="孙建"))
    assert caught.value.existing == first
    page = sign_in(Client(), wang_fang).post("/workbench/people/new/", data()).content.decode()
    assert "该身份证号已登记" in page and f"/workbench/people/{first.pk}/" in page


def test_the_same_name_and_birth_date_needs_confirmation(wang_fang):
    person_create(actor=wang_fang, data=data())
    twin = data(id_number=generate_resident_id("510107", dt.date(1975, 8, 20), "M", 12), phone="")
    with pytest.raises(DomainError, match="同名同出生日期"):
        person_create(actor=wang_fang, data=twin)
    created = person_create(actor=wang_fang, data=twin, confirm_similar=True)
    assert created.warnings and Person.objects.count() == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", SUN_ID[:-1] + ("0" if SUN_ID[-1] != "0" else "1"), "「身份证号」校验位不正确"),
        ("region_code", "510102", "「常住地」510102 不是现行的行政区划代码"),
        ("region_code", "510107", "「常住地」不在您的管辖范围内"),
        ("graduation_date", "2024-02-30", "「毕业日期」应为日期"),
        ("phone", "1391234", "「手机号」应为11位"),
        ("employment", "打工", "「就业状态」应为以下之一"),
        ("name", "=cmd|' /C calc'!A0", "「姓名」"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(wang_fang, field, value, message):
    with pytest.raises(FieldValueError) as caught:
        person_create(actor=wang_fang, data=data(**{field: value}))
    assert message in caught.value.message
    assert not Person.objects.exists()


def test_search_by_pinyin_initials_and_name(wang_fang):
    person_create(actor=wang_fang, data=data())
    assert [p.name for p in person_search(user=wang_fang, query="sjh")] == ["孙建华"]
    assert [p.name for p in person_search(user=wang_fang, query="建华")] == ["孙建华"]
    assert list(person_search(user=wang_fang, query="zz")) == []


def test_a_change_request_is_approved_with_a_diff_by_another_person(li_xiaoyu, wang_fang):
    citizen = sign_in(Client(), li_xiaoyu)
    response = citizen.post("/me/changes/new/", {"name": "李晓语", "region_code": "510107", "reason": "更正姓名并迁居"})
    assert response.status_code == 302
    change = li_xiaoyu.person.change_requests.get()
    assert change.changes == {"name": ["李晓雨", "李晓语"], "region_code": ["510104", "510107"]}
    officer = sign_in(Client(), wang_fang)
    page = officer.get(f"/workbench/changes/{change.pk}/").content.decode()
    assert "<del>李晓雨</del>" in page and "<ins>李晓语</ins>" in page
    assert officer.post(f"/workbench/changes/{change.pk}/", {"action": "approve"}).status_code == 302
    person = Person.objects.get(pk=li_xiaoyu.person.pk)
    assert (person.name, person.region_code, person.name_initials) == ("李晓语", "510107", "lxy")


def test_change_requests_refuse_nothing_to_change_and_a_second_pending_one(li_xiaoyu):
    with pytest.raises(FieldValueError, match="没有需要变更的内容"):
        change_request_submit(actor=li_xiaoyu, person=li_xiaoyu.person, changes={"name": "李晓雨"}, reason="没有变化的")
    change_request_submit(actor=li_xiaoyu, person=li_xiaoyu.person, changes={"name": "李小雨"}, reason="更正用字")
    with pytest.raises(ConflictError):
        change_request_submit(actor=li_xiaoyu, person=li_xiaoyu.person, changes={"name": "李雨"}, reason="再次更正")


def test_a_rejected_change_leaves_the_record_and_needs_a_reason(li_xiaoyu, wang_fang):
    change = change_request_submit(
        actor=li_xiaoyu, person=li_xiaoyu.person, changes={"name": "李小雨"}, reason="更正用字"
    )
    with pytest.raises(FieldValueError):
        change_request_decide(actor=wang_fang, change=change, approve=False)
    change_request_decide(actor=wang_fang, change=change, approve=False, note="与户籍信息不符")
    assert Person.objects.get(pk=li_xiaoyu.person.pk).name == "李晓雨"


def test_the_requester_cannot_approve_their_own_change(li_xiaoyu):
    officer_citizen = make_user("dual", "officer", region_code="510104")
    change = change_request_submit(
        actor=li_xiaoyu, person=li_xiaoyu.person, changes={"name": "李小雨"}, reason="更正用字"
    )
    change.requested_by = officer_citizen
    change.save()
    with pytest.raises(DomainError, match="不能审核自己提交的申请"):
        change_request_decide(actor=officer_citizen, change=change, approve=True)


def test_a_citizen_updates_education_directly(li_xiaoyu):
    client = sign_in(Client(), li_xiaoyu)
    client.post(
        "/me/profile/",
        {"education": "bachelor", "school": "四川大学", "graduation_date": "2024-06-30", "employment": "unemployed"},
    )
    person = Person.objects.get(pk=li_xiaoyu.person.pk)
    assert (person.education, person.graduation_date, person.employment) == (
        "bachelor",
        dt.date(2024, 6, 30),
        "unemployed",
    )
