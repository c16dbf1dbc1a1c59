"""Key-group statuses: declared with evidence, certified by another person, counted only inside their dates."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from chuangye.accounts.testing import make_user, sign_in
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.core.models import Attachment
from chuangye.registry.actions import key_group_decide, key_group_declare, key_group_revoke
from chuangye.registry.models import KeyGroupStatus
from chuangye.registry.selectors import active_key_groups, person_search

pytestmark = pytest.mark.django_db
D = dt.date


def pdf(name="毕业证.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.7\n% graduation certificate scan", content_type="application/pdf")


def test_a_graduate_declares_on_the_portal_and_an_officer_certifies(li_xiaoyu, wang_fang):
    citizen = sign_in(Client(), li_xiaoyu)
    page = citizen.post(
        "/me/key-groups/declare/", {"category": "graduate", "declaration": "2024年6月本科毕业", "evidence": [pdf()]}
    )
    assert page.status_code == 302
    status = KeyGroupStatus.objects.get(person=li_xiaoyu.person)
    assert status.state == "pending"
    officer = sign_in(Client(), wang_fang)
    queue = officer.get("/workbench/key-groups/").content.decode()
    assert "李晓雨" in queue and "高校毕业生" in queue
    detail = officer.get(f"/workbench/key-groups/{status.pk}/").content.decode()
    attachment = Attachment.objects.get(object_type="key_group_status", object_id=str(status.pk))
    assert f"/workbench/attachments/{attachment.pk}/" in detail
    download = officer.get(f"/workbench/attachments/{attachment.pk}/")
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    response = officer.post(
        f"/workbench/key-groups/{status.pk}/", {"action": "certify", "note": "材料齐全", "valid_from": "2024-07-01"}
    )
    assert response.status_code == 302
    status.refresh_from_db()
    assert (status.state, status.valid_from, status.valid_to) == ("certified", D(2024, 7, 1), None)
    assert [e.to_state for e in status.events.all()] == ["pending", "certified"]
    assert "已认定" in citizen.get("/me/").content.decode()


def test_a_citizen_must_attach_evidence_of_a_real_type(li_xiaoyu):
    with pytest.raises(FieldValueError, match="证明材料"):
        key_group_declare(actor=li_xiaoyu, person=li_xiaoyu.person, category_code="graduate", evidence=[])
    html_as_png = SimpleUploadedFile("毕业证.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    with pytest.raises(FieldValueError, match="只接受 PDF、PNG 或 JPEG"):
        key_group_declare(actor=li_xiaoyu, person=li_xiaoyu.person, category_code="graduate", evidence=[html_as_png])
    assert not KeyGroupStatus.objects.exists()  # nothing half-saved


def test_a_provincial_category_only_for_people_of_that_province(li_xiaoyu):
    status = key_group_declare(actor=li_xiaoyu, person=li_xiaoyu.person, category_code="51_4050", evidence=[pdf()])
    assert status.category.fact == "employment_difficulty"
    li_xiaoyu.person.region_code = "500235"
    with pytest.raises(FieldValueError, match="不适用于您所在省份"):
        key_group_declare(actor=li_xiaoyu, person=li_xiaoyu.person, category_code="51_disabled", evidence=[pdf()])


def test_one_pending_declaration_per_group(li_xiaoyu):
    key_group_declare(actor=li_xiaoyu, person=li_xiaoyu.person, category_code="graduate", evidence=[pdf()])
    with pytest.raises(ConflictError):
        key_group_declare(actor=li_xiaoyu, person=li_xiaoyu.person, category_code="graduate", evidence=[pdf()])


def test_nobody_certifies_what_they_declared(zhao_jianguo, wang_fang):
    status = key_group_declare(actor=wang_fang, person=zhao_jianguo.person, category_code="returning_migrant")
    with pytest.raises(DomainError, match="不能认定自己提交的申报"):
        key_group_decide(actor=wang_fang, status=status, certify=True)
    colleague = make_user("liumin", "supervisor", region_code="510104")
    assert key_group_decide(actor=colleague, status=status, certify=True).state == "certified"


def test_two_officers_deciding_at_once_one_gets_a_conflict(li_xiaoyu, wang_fang):
    status = key_group_declare(actor=li_xiaoyu, person=li_xiaoyu.person, category_code="graduate", evidence=[pdf()])
    colleague = make_user("liumin", "supervisor", region_code="510104")
    key_group_decide(actor=wang_fang, status=status, certify=True)
    with pytest.raises(ConflictError, match="已被处理"):
        key_group_decide(actor=colleague, status=status, certify=False, note="不符合")


def test_rejection_needs_a_reason(li_xiaoyu, wang_fang):
    status = key_group_declare(actor=li_xiaoyu, person=li_xiaoyu.person, category_code="graduate", evidence=[pdf()])
    with pytest.raises(FieldValueError, match="认定意见"):
        key_group_decide(actor=wang_fang, status=status, certify=False, note="")


def test_a_status_counts_only_inside_its_dates_everywhere(zhao_jianguo, wang_fang):
    """DOMAIN §2: a difficulty status certified for 12 months stops counting on the day after it ends: for the
    policy facts and for the staff search filter alike."""
    colleague = make_user("liumin", "supervisor", region_code="510104")
    status = key_group_declare(actor=wang_fang, person=zhao_jianguo.person, category_code="51_long_unemployed")
    key_group_decide(actor=colleague, status=status, certify=True, valid_from="2026-01-01")
    status.refresh_from_db()
    assert status.valid_to == D(2026, 12, 31)  # the category's default 12 months
    person = zhao_jianguo.person
    assert active_key_groups(person, D(2025, 12, 31)) == set()
    assert active_key_groups(person, D(2026, 1, 1)) == {"employment_difficulty"}
    assert active_key_groups(person, D(2026, 12, 31)) == {"employment_difficulty"}
    assert active_key_groups(person, D(2027, 1, 1)) == set()
    with time_machine.travel(dt.datetime(2026, 12, 31, 12, tzinfo=dt.UTC), tick=False):
        assert list(person_search(user=wang_fang, group="employment_difficulty")) == [person]
    with time_machine.travel(dt.datetime(2027, 1, 1, 12, tzinfo=dt.UTC), tick=False):
        assert list(person_search(user=wang_fang, group="employment_difficulty")) == []
    key_group_revoke(actor=colleague, status=status, note="已就业")
    assert active_key_groups(person, D(2026, 6, 1)) == set()


def test_an_end_before_the_start_is_refused(li_xiaoyu, wang_fang):
    status = key_group_declare(actor=li_xiaoyu, person=li_xiaoyu.person, category_code="graduate", evidence=[pdf()])
    with pytest.raises(FieldValueError, match="有效期至"):
        key_group_decide(actor=wang_fang, status=status, certify=True, valid_from="2026-05-01", valid_to="2026-04-30")
