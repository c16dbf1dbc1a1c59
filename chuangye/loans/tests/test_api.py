"""The banks' API: idempotent money requests (same key replays, another body is refused, no key is refused),
twenty concurrent identical requests making one repayment, scopes, and lists without N+1 queries."""

import datetime as dt
import json
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from threading import Barrier, Lock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from chuangye.accounts.actions import api_token_issue
from chuangye.loans import ledger
from chuangye.loans.models import IdempotencyRecord, LedgerTransaction, Repayment
from chuangye.loans.testing import apply, approve, certify, disburse, make_guarantor
from chuangye.loans.tests.conftest import at

D = dt.date
WRITE = ["loans:read", "loans:write"]


def token_for(user, scopes=WRITE):
    return api_token_issue(actor=None, user=user, name="核心系统", scopes=scopes)[1]


def post(client, token, path, body, key=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(f"/api/v1{path}", data=json.dumps(body), content_type="application/json", **headers)


def make_loan(citizen, officer, guarantor, bank_user):
    certify(citizen.person)
    with at(2025, 6, 3):
        case = approve(apply(citizen, bank_user), officer, guarantor, bank_user)
    with at(2025, 6, 10):
        return disburse(case, bank_user)


@pytest.fixture
def loan(li_xiaoyu, wang_fang, xu_tao, huang_lei):
    return make_loan(li_xiaoyu, wang_fang, xu_tao, huang_lei)


@pytest.mark.django_db
def test_the_same_key_replays_and_a_different_body_is_refused(loan, huang_lei):
    token, client = token_for(huang_lei), Client()
    body = {"loan_id": loan.pk, "paid_on": "2025-06-20", "interest": "166.67"}
    with at(2025, 6, 20):
        first = post(client, token, "/loans/repayments", body, key="rp-20250620-1")
        again = post(client, token, "/loans/repayments", body, key="rp-20250620-1")
        other = post(client, token, "/loans/repayments", {**body, "interest": "100.00"}, key="rp-20250620-1")
        missing = post(client, token, "/loans/repayments", body)
    assert first.status_code == 201 and first.json()["interest_outstanding"] == "0.00"
    assert again.status_code == 201 and again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert missing.status_code == 400 and missing.json()["code"] == "idempotency_key_required"
    assert Repayment.objects.count() == 1 and ledger.ledger_problems() == []


@pytest.mark.django_db
def test_a_refused_request_stores_nothing_so_a_corrected_retry_runs(loan, huang_lei):
    token, client = token_for(huang_lei), Client()
    body = {"loan_id": loan.pk, "paid_on": "2025-06-20", "interest": "999.00"}
    with at(2025, 6, 20):
        refused = post(client, token, "/loans/repayments", body, key="k1")
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "interest"
        assert not IdempotencyRecord.objects.exists()
        assert post(client, token, "/loans/repayments", {**body, "interest": "166.67"}, key="k1").status_code == 201


@pytest.mark.django_db
def test_scopes_and_scope_of_objects(loan, huang_lei, wu_ting):
    body = {"loan_id": loan.pk, "paid_on": "2025-06-20", "interest": "166.67"}
    with at(2025, 6, 20):
        read_only = post(Client(), token_for(huang_lei, ["loans:read"]), "/loans/repayments", body, key="a")
        other_bank = post(Client(), token_for(wu_ting), "/loans/repayments", body, key="a")
    assert read_only.status_code == 403
    assert other_bank.status_code == 404 and other_bank.json()["code"] == "not_found"
    assert not Repayment.objects.exists()


@pytest.mark.django_db
def test_disbursement_through_the_api(li_xiaoyu, wang_fang, xu_tao, huang_lei):
    certify(li_xiaoyu.person)
    with at(2025, 6, 3):
        case = approve(apply(li_xiaoyu, huang_lei), wang_fang, xu_tao, huang_lei)
    token, client = token_for(huang_lei), Client()
    body = {
        "application_id": case.loan_application.pk,
        "contract_number": "JK-2025-001",
        "contract_date": "2025-06-10",
        "disbursed_on": "2025-06-10",
        "principal": "200000.00",
        "term_months": 24,
        "spread": "0.005",
    }
    with at(2025, 6, 10):
        made = post(client, token, "/loans/disbursements", body, key="d-1")
        replay = post(client, token, "/loans/disbursements", body, key="d-1")
        capped = post(client, token, "/loans/disbursements", {**body, "spread": "0.02"}, key="d-2")
    assert made.status_code == 201 and made.json()["annual_rate"] == "0.035" and replay.json() == made.json()
    assert capped.status_code == 409  # already disbursed: the state is checked before the terms


@pytest.mark.django_db
def test_loan_list_has_no_n_plus_one(li_xiaoyu, zhao_jianguo, wang_fang, xu_tao, huang_lei):
    make_loan(li_xiaoyu, wang_fang, xu_tao, huang_lei)
    client, token = Client(), token_for(huang_lei)
    with at(2025, 7, 1):
        client.get("/api/v1/loans", HTTP_AUTHORIZATION=f"Bearer {token}")  # the token's first use is recorded
    with at(2025, 7, 1), CaptureQueriesContext(connection) as one:
        first = client.get("/api/v1/loans", HTTP_AUTHORIZATION=f"Bearer {token}")
    make_loan(zhao_jianguo, wang_fang, xu_tao, huang_lei)
    with at(2025, 7, 1), CaptureQueriesContext(connection) as two:
        second = client.get("/api/v1/loans", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert first.json()["count"] == 1 and second.json()["count"] == 2
    assert len(two) == len(one)
    assert second.json()["items"][0]["bucket"] == "1_30"  # 2025-06-20 interest unpaid on 2025-07-01


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_concurrent_requests_with_one_key_make_one_repayment(li_xiaoyu, wang_fang, huang_lei):
    """Twenty threads, each with its own database connection, send the same request at the same moment. On
    PostgreSQL they race for the key's unique index: one runs, the others wait for its commit and replay it.

    SQLite serialises write transactions (``BEGIN IMMEDIATE``; a file database makes the others wait through its
    busy timeout). The test database, though, is in memory with a shared cache, where SQLite answers "table is
    locked" instead of waiting, so there the requests take turns through a lock — the queue a file database
    would form. Either way: one repayment, one ledger transaction, twenty identical answers."""
    guarantor = make_guarantor()
    loan = make_loan(li_xiaoyu, wang_fang, guarantor, huang_lei)
    token = token_for(huang_lei)
    body = {"loan_id": loan.pk, "paid_on": "2025-06-20", "interest": "166.67"}
    start = Barrier(20)
    queue = Lock() if connection.vendor == "sqlite" else nullcontext()

    def send(_: int) -> tuple[int, str]:
        try:
            start.wait()
            with queue:
                response = post(Client(), token, "/loans/repayments", body, key="rp-concurrent")
            return response.status_code, response.content.decode()
        finally:
            connection.close()

    with at(2025, 6, 20), ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(send, range(20)))
    assert {status for status, _ in results} == {201}, results
    assert len({body for _, body in results}) == 1
    assert Repayment.objects.count() == 1
    assert LedgerTransaction.objects.filter(kind="repayment").count() == 1
    assert ledger.ledger_problems() == []


@pytest.mark.django_db
def test_subsidy_claims_and_compensation_payments_through_the_api(loan, huang_lei, xu_tao):
    bank, client = token_for(huang_lei), Client()
    with at(2025, 6, 20):
        post(
            client, bank, "/loans/repayments", {"loan_id": loan.pk, "paid_on": "2025-06-20", "interest": "166.67"}, "r1"
        )
    with at(2025, 7, 2):
        filed = post(client, bank, "/loans/subsidy-claims", {"year": 2025, "quarter": 2}, key="q-2025-2")
        again = post(client, bank, "/loans/subsidy-claims", {"year": 2025, "quarter": 2}, key="q-2025-2")
        listed = client.get("/api/v1/loans/subsidy-claims", HTTP_AUTHORIZATION=f"Bearer {bank}").json()
    assert filed.status_code == 201 and filed.json()[0]["total"] == "83.33" and again.json() == filed.json()
    assert listed["items"][0]["line_count"] == 1
    with at(2025, 12, 22):  # the 2025-09-20 interest is 93 days overdue
        claim = post(client, bank, "/loans/compensation-claims", {"loan_id": loan.pk}, key="c1")
        assert claim.status_code == 201 and claim.json()["days_overdue"] == 93
        fund = token_for(xu_tao)
        paid = post(client, fund, "/loans/compensation-payments", {"claim_id": claim.json()["id"]}, key="p1")
        unseen = post(client, bank, "/loans/compensation-payments", {"claim_id": claim.json()["id"]}, key="p2")
    assert paid.status_code == 201 and paid.json()["state"] == "paid"
    assert unseen.status_code == 403  # the bank sees the claim but only the fund pays
    assert ledger.ledger_problems() == []


@pytest.mark.django_db
def test_application_list_and_workbench_home_have_no_n_plus_one(li_xiaoyu, zhao_jianguo, wang_fang, xu_tao, huang_lei):
    from chuangye.accounts.testing import sign_in

    def counts():
        token, client = token_for(huang_lei), Client()
        page = sign_in(Client(), huang_lei)
        with at(2025, 7, 1):
            client.get("/api/v1/loan-applications", HTTP_AUTHORIZATION=f"Bearer {token}")
            page.get("/workbench/loans/")
            with CaptureQueriesContext(connection) as api:
                client.get("/api/v1/loan-applications", HTTP_AUTHORIZATION=f"Bearer {token}")
            with CaptureQueriesContext(connection) as web:
                page.get("/workbench/loans/")
        return len(api), len(web)

    make_loan(li_xiaoyu, wang_fang, xu_tao, huang_lei)
    one = counts()
    make_loan(zhao_jianguo, wang_fang, xu_tao, huang_lei)
    assert counts() == one
