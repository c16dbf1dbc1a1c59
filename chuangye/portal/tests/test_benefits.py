"""我能享受的政策: the policy engine applied to the citizen's own record, with reasons."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from chuangye.accounts.testing import make_user, sign_in
from chuangye.registry.actions import key_group_decide, key_group_declare

pytestmark = pytest.mark.django_db


def test_a_certified_graduate_sees_the_loan_she_qualifies_for_and_why(li_xiaoyu, wang_fang):
    client = sign_in(Client(), li_xiaoyu)
    page = client.get("/me/policies/").content.decode()
    assert "个人创业担保贷款" in page or "创业担保贷款" in page
    assert "暂不符合" in page  # no key group certified yet
    status = key_group_declare(actor=wang_fang, person=li_xiaoyu.person, category_code="graduate")
    key_group_decide(
        actor=make_user("liumin", "supervisor", region_code="510104"),
        status=status,
        certify=True,
        valid_from="2024-07-01",
    )
    with time_machine.travel(dt.datetime(2026, 11, 26, 10, tzinfo=dt.UTC), tick=False):
        client = sign_in(Client(), li_xiaoyu)
        page = client.get("/me/policies/").content.decode()
    assert "符合条件" in page and "300000.00 元" in page
    assert "✓" in page and "依据：" in page
