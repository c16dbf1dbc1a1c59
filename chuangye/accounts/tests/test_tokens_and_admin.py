"""Partner API tokens (shown once, hashed, scoped, expiring, revocable) and the three administrator roles."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from chuangye.accounts import actions
from chuangye.accounts.models import ApiToken, Role
from chuangye.accounts.testing import make_user, sign_in
from chuangye.core.errors import DomainError
from chuangye.core.models import AuditEvent

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_a_bank_token_works_and_is_stored_only_as_a_hash(huang_lei, client):
    token, key = actions.api_token_issue(actor=None, user=huang_lei, name="核心系统", scopes=["loans:write"])
    assert key.startswith("cy_") and key not in token.key_hash
    assert not ApiToken.objects.filter(key_hash=key).exists()
    body = client.get("/api/v1/me", **bearer(key)).json()
    assert body["username"] == "huanglei" and body["organisation"] == "示例农村商业银行锦江支行"
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "spoil",
    [
        lambda key: key[:-2] + ("AA" if key[-2:] != "AA" else "BB"),  # a forged secret with a real prefix
        lambda key: "cy_deadbeef_" + key.split("_", 2)[2],  # another prefix
        lambda key: "not-a-token",
    ],
)
def test_forged_tokens_are_refused(huang_lei, client, spoil):
    _, key = actions.api_token_issue(actor=None, user=huang_lei, name="核心系统", scopes=[])
    response = client.get("/api/v1/me", **bearer(spoil(key)))
    assert response.status_code == 401
    assert response.json()["message"] == "请先登录或提供有效的接口令牌"


def test_tokens_expire_and_can_be_revoked(huang_lei, client):
    with time_machine.travel(START, tick=False) as clock:
        _, key = actions.api_token_issue(actor=None, user=huang_lei, name="核心系统", scopes=[], days=30)
        assert client.get("/api/v1/me", **bearer(key)).status_code == 200
        clock.shift(dt.timedelta(days=31))
        assert client.get("/api/v1/me", **bearer(key)).status_code == 401
    other, other_key = actions.api_token_issue(actor=None, user=huang_lei, name="备用", scopes=[])
    actions.api_token_revoke(actor=None, token=other)
    assert client.get("/api/v1/me", **bearer(other_key)).status_code == 401


def test_deactivating_the_partner_account_disables_its_tokens(huang_lei, client):
    _, key = actions.api_token_issue(actor=None, user=huang_lei, name="核心系统", scopes=[])
    actions.user_deactivate(actor=None, user=huang_lei)
    assert client.get("/api/v1/me", **bearer(key)).status_code == 401


def test_only_partner_accounts_get_tokens(wang_fang):
    with pytest.raises(DomainError):
        actions.api_token_issue(actor=None, user=wang_fang, name="x", scopes=[])


def test_the_api_is_rate_limited_with_a_chinese_message(client):
    statuses = [client.get("/api/v1/regions/510104").status_code for _ in range(61)]
    assert statuses[:60] == [200] * 60
    assert statuses[60] == 429
    assert client.get("/api/v1/regions/510104").json()["message"] == "请求过于频繁，请稍后再试。"


@pytest.fixture
def admins(db):
    return {role: make_user(role, role) for role in (Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR)}


@pytest.mark.parametrize(
    ("role", "url", "status"),
    [
        (Role.SYSADMIN, "/sysadmin/accounts/user/", 200),
        (Role.SYSADMIN, "/sysadmin/accounts/user/add/", 200),
        (Role.SYSADMIN, "/sysadmin/core/auditevent/", 403),  # the system administrator cannot read the audit
        (Role.SECADMIN, "/sysadmin/core/auditevent/", 200),
        (Role.SECADMIN, "/sysadmin/accounts/user/add/", 403),  # nor create accounts
        (Role.SECADMIN, "/sysadmin/axes/accessattempt/", 200),
        (Role.AUDITOR, "/sysadmin/core/auditevent/", 200),
        (Role.AUDITOR, "/sysadmin/accounts/user/", 200),
        (Role.AUDITOR, "/sysadmin/accounts/user/add/", 403),  # the auditor only reads
        (Role.AUDITOR, "/sysadmin/accounts/organisation/add/", 403),
    ],
)
def test_three_administrators_with_separate_duties(admins, role, url, status):
    client = sign_in(Client(), admins[role])
    assert client.get(url).status_code == status


def test_the_auditor_cannot_change_a_user(admins, wang_fang):
    client = sign_in(Client(), admins[Role.AUDITOR])
    response = client.post(f"/sysadmin/accounts/user/{wang_fang.pk}/change/", {"real_name": "改名", "role": "officer"})
    assert response.status_code == 403
    wang_fang.refresh_from_db()
    assert wang_fang.real_name == "王芳"


def test_officers_and_citizens_do_not_reach_the_admin_site(wang_fang, li_xiaoyu):
    for user in (wang_fang, li_xiaoyu):
        response = sign_in(Client(), user).get("/sysadmin/")
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_admin_deactivation_ends_sessions_and_is_audited(admins, wang_fang):
    officer = sign_in(Client(), wang_fang)
    assert officer.get("/workbench/").status_code == 200
    admin = sign_in(Client(), admins[Role.SYSADMIN])
    data = {"real_name": "王芳", "role": "officer", "region_code": "510104", "organisation": ""}
    assert admin.post(f"/sysadmin/accounts/user/{wang_fang.pk}/change/", data).status_code == 302
    assert officer.get("/workbench/").status_code == 302
    assert AuditEvent.objects.filter(action="account.deactivate", object_id=str(wang_fang.pk)).exists()


def test_a_token_may_only_do_what_its_scopes_name(huang_lei, client):
    _, narrow = actions.api_token_issue(actor=None, user=huang_lei, name="只读账户信息", scopes=[])
    _, wide = actions.api_token_issue(actor=None, user=huang_lei, name="人员查询", scopes=["people:read"])
    refused = client.get("/api/v1/people", **bearer(narrow))
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    allowed = client.get("/api/v1/people", **bearer(wide))
    assert allowed.status_code == 200 and allowed.json()["items"] == []  # a bank sees no one outside its cases


def test_another_organisations_token_sees_nothing_of_this_one(huang_lei, wu_ting, client):
    _, key = actions.api_token_issue(actor=None, user=wu_ting, name="武侯", scopes=["people:read"])
    body = client.get("/api/v1/me", **bearer(key)).json()
    assert body["organisation"] == "示例城市商业银行武侯支行"


def test_a_partner_issues_a_token_on_the_workbench_and_sees_the_key_once(huang_lei):
    client = sign_in(Client(), huang_lei)
    page = client.post("/workbench/tokens/", {"name": "信贷核心系统", "scopes": ["people:read"], "days": "90"})
    key = re.search(r"(cy_[0-9a-f]{8}_[\w-]+)", page.content.decode()).group(1)
    assert Client().get("/api/v1/people", **bearer(key)).status_code == 200
    assert key not in client.get("/workbench/tokens/").content.decode()
    bad = client.post("/workbench/tokens/", {"name": "x", "days": "9999"})
    assert "「有效天数」应在1到730天之间" in bad.content.decode()
