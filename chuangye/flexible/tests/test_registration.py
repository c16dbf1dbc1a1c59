"""Employment and unemployment registration: 户籍地 or 常住地, online (10 working days) or at the counter (same day),
self-declaration with a written commitment, the electronic 就业创业证 number on approval, and no refusal on
household-registration grounds."""

import datetime as dt

import pytest
from django.test import Client

from chuangye.accounts.testing import sign_in
from chuangye.cases.deadlines import local_date
from chuangye.cases.models import Case
from chuangye.core.ids import generate_resident_id
from chuangye.flexible.models import Certificate, EmploymentRegistration
from chuangye.registry.models import Employment, Person

pytestmark = pytest.mark.django_db


def form(**overrides):
    return {
        "form_key": "reg1",
        "kind": "employment",
        "basis": "residence",
        "since": "2026-10-20",
        "form": "flexible",
        "employer_name": "网约配送",
        "commitment": "1",
        **overrides,
    }


def test_online_registration_at_the_place_of_residence_gets_a_certificate(monday, zhao_jianguo, wang_fang):
    # 赵建国's household registration is in another province; he lives in 锦江区 and registers there.
    person = zhao_jianguo.person
    person.hukou_region_code = "500101"
    person.save()
    citizen = sign_in(Client(), zhao_jianguo)
    response = citizen.post("/flexible/me/registration/", form())
    case = Case.objects.get()
    assert response["Location"] == f"/me/cases/{case.pk}/"
    assert case.case_type == "flexible.employment" and case.region_code == "510104"
    assert local_date(case.due_at) == dt.date(2026, 11, 16)  # online: 10 working days
    registration = case.employment_registration
    assert registration.channel == "online" and registration.commitment and registration.basis == "residence"
    # A refusal because of household registration is impossible.
    officer = sign_in(Client(), wang_fang)
    response = officer.post(
        f"/workbench/cases/{case.pk}/", {"action": "refuse", "comment": "非本地户籍，请回户籍地办理"}
    )
    assert response.status_code == 422 and "不得以户籍" in response.content.decode()
    case.refresh_from_db()
    assert case.state == "submitted"
    officer.post(f"/workbench/cases/{case.pk}/", {"action": "approve"})
    case.refresh_from_db()
    assert case.state == "approved"
    certificate = Certificate.objects.get(person=person)
    assert certificate.number.startswith("5101042026") and len(certificate.number) == 18
    registration.refresh_from_db()
    assert registration.certificate_number == certificate.number
    person.refresh_from_db()
    assert person.employment == Employment.FLEXIBLE
    assert certificate.number in citizen.get("/flexible/me/").content.decode()


def test_registration_at_the_household_registration_place_goes_to_that_office(monday, zhao_jianguo):
    person = zhao_jianguo.person
    person.hukou_region_code = "510107"
    person.save()
    sign_in(Client(), zhao_jianguo).post("/flexible/me/registration/", form(basis="hukou"))
    assert Case.objects.get().region_code == "510107"


def test_the_written_commitment_is_required(monday, zhao_jianguo):
    response = sign_in(Client(), zhao_jianguo).post("/flexible/me/registration/", form(commitment=""))
    assert response.status_code == 422 and "书面承诺" in response.content.decode()
    assert not Case.objects.exists()


def test_employment_registration_names_the_form_of_employment(monday, zhao_jianguo):
    response = sign_in(Client(), zhao_jianguo).post("/flexible/me/registration/", form(form=""))
    assert response.status_code == 422 and "就业形式" in response.content.decode()


def test_unemployment_registration_and_the_certificate_is_issued_once(monday, zhao_jianguo, wang_fang):
    citizen, officer = sign_in(Client(), zhao_jianguo), sign_in(Client(), wang_fang)
    citizen.post("/flexible/me/registration/", form())
    first = Case.objects.get()
    officer.post(f"/workbench/cases/{first.pk}/", {"action": "approve"})
    citizen.post("/flexible/me/registration/", form(form_key="reg2", kind="unemployment", form="", employer_name=""))
    second = Case.objects.exclude(pk=first.pk).get()
    assert second.case_type == "flexible.unemployment"
    officer.post(f"/workbench/cases/{second.pk}/", {"action": "approve"})
    assert Certificate.objects.count() == 1
    numbers = set(EmploymentRegistration.objects.values_list("certificate_number", flat=True))
    assert len(numbers) == 1
    zhao_jianguo.person.refresh_from_db()
    assert zhao_jianguo.person.employment == Employment.UNEMPLOYED


def test_counter_registration_is_due_the_same_day_for_a_person_without_an_account(monday, wang_fang):
    officer = sign_in(Client(), wang_fang)
    id_number = generate_resident_id("500101", dt.date(1972, 3, 8), "F", 5)
    response = officer.post(
        "/flexible/workbench/registration/",
        {
            "name": "孙桂兰",
            "id_number": id_number,
            "kind": "unemployment",
            "basis": "residence",
            "since": "2026-10-01",
            "commitment": "1",
        },
    )
    case = Case.objects.get()
    assert response["Location"] == f"/workbench/cases/{case.pk}/"
    assert case.region_code == "510104"  # the counter's office, though her 户籍 is in 重庆
    assert case.due_at is not None and local_date(case.due_at) == dt.date(2026, 11, 2)
    assert case.employment_registration.channel == "counter"
    officer.post(f"/workbench/cases/{case.pk}/", {"action": "approve"})
    person = Person.objects.get(pk=case.applicant_person_id)
    assert Certificate.objects.filter(person=person).exists()


def test_people_under_16_cannot_register(monday, wang_fang):
    officer = sign_in(Client(), wang_fang)
    id_number = generate_resident_id("510104", dt.date(2011, 3, 8), "M", 5)
    response = officer.post(
        "/flexible/workbench/registration/",
        {"name": "王小明", "id_number": id_number, "kind": "unemployment", "since": "2026-10-01", "commitment": "1"},
    )
    assert response.status_code == 422 and "未满16周岁" in response.content.decode()
    assert not Case.objects.exists()


def test_people_past_retirement_age_cannot_register(monday, wang_fang):
    officer = sign_in(Client(), wang_fang)
    id_number = generate_resident_id("510104", dt.date(1965, 3, 8), "M", 5)  # 60 years 1 month: retired 2025-04
    response = officer.post(
        "/flexible/workbench/registration/",
        {"name": "钱大军", "id_number": id_number, "kind": "unemployment", "since": "2026-10-01", "commitment": "1"},
    )
    assert response.status_code == 422 and "法定退休年龄" in response.content.decode()
