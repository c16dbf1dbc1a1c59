"""The faces, through the web pages: a graduate applies, the bureau qualifies her on the case page (which shows the
engine's decision), the guarantee institution and the bank decide on their workbench, the bank disburses and
records repayments (a double submission counts once, a spreadsheet too), and everyone sees only their own."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from chuangye.accounts.testing import sign_in
from chuangye.cases.models import Case
from chuangye.loans.excel import REPAYMENT_HEADERS
from chuangye.loans.models import Loan, Repayment
from chuangye.loans.tests.conftest import at

pytestmark = pytest.mark.django_db
D = dt.date


def apply_on_the_web(citizen, bank_user, **overrides):
    form = {
        "form_key": "f1",
        "kind": "individual",
        "requested_amount": "200000",
        "term_months": "24",
        "purpose": "文创工作室装修与设备",
        "bank": str(bank_user.organisation_id),
        **overrides,
    }
    return sign_in(Client(), citizen).post("/me/loans/apply/", form)


def test_from_application_to_repayment_through_the_web(graduate_li, wang_fang, xu_tao, huang_lei, wu_ting):
    with at(2025, 6, 3):
        response = apply_on_the_web(graduate_li, huang_lei)
        case = Case.objects.get(case_type="loan.individual")
        assert response.status_code == 302 and response["Location"] == f"/me/cases/{case.pk}/"
        assert apply_on_the_web(graduate_li, huang_lei).status_code == 302  # the same form twice: one case
        assert Case.objects.filter(case_type="loan.individual").count() == 1
        mine = sign_in(Client(), graduate_li).get(f"/me/cases/{case.pk}/").content.decode()
        assert "可贷额度" in mine and "属于高校毕业生" in mine and "需提供反担保" in mine
        officer = sign_in(Client(), wang_fang)
        page = officer.get(f"/workbench/cases/{case.pk}/").content.decode()
        assert "资格审核通过，转担保机构" in page and "累计获得创业担保贷款不超过规定次数" in page
        officer.post(f"/workbench/cases/{case.pk}/", {"action": "qualify", "version": case.version})
        application = case.loan_application
        guarantor = sign_in(Client(), xu_tao)
        assert application.case.number in guarantor.get("/workbench/loans/").content.decode()
        url = f"/workbench/loans/applications/{application.pk}/"
        case.refresh_from_db()
        assert guarantor.post(url, {"action": "guarantor_approve", "version": case.version}).status_code == 302
        bank = sign_in(Client(), huang_lei)
        assert sign_in(Client(), wu_ting).get(url).status_code == 404  # another bank
        case.refresh_from_db()
        assert bank.post(url, {"action": "bank_approve", "version": case.version}).status_code == 302
    with at(2025, 6, 10):
        bank = sign_in(Client(), huang_lei)
        form = {
            "action": "disburse",
            "form_key": "disb-1",
            "contract_number": "JK-001",
            "contract_date": "2025-06-10",
            "disbursed_on": "2025-06-10",
            "principal": "200000.00",
            "term_months": "24",
            "spread": "0.02",
            "lpr_term": "1y",
            "method": "interest_only",
            "basis": "360",
            "frequency": "quarterly",
        }
        capped = bank.post(url, form)
        assert capped.status_code == 422 and "超过利率上限" in capped.content.decode()
        made = bank.post(url, {**form, "spread": "0"})
        loan = Loan.objects.get()
        assert made["Location"] == f"/workbench/loans/{loan.pk}/"
    with at(2025, 6, 20):
        bank = sign_in(Client(), huang_lei)
        repayment = {
            "action": "repay",
            "form_key": "r-1",
            "paid_on": "2025-06-20",
            "principal": "0",
            "interest": "166.67",
        }
        assert bank.post(f"/workbench/loans/{loan.pk}/", repayment).status_code == 302
        assert bank.post(f"/workbench/loans/{loan.pk}/", repayment).status_code == 302  # resubmitted page
        assert Repayment.objects.count() == 1
        schedule = sign_in(Client(), graduate_li).get(f"/me/loans/{loan.pk}/").content.decode()
        assert "1,533.33" in schedule and "166.67" in schedule and "3%" in schedule
        assert sign_in(Client(), wu_ting).get(f"/workbench/loans/{loan.pk}/").status_code == 404


def test_an_ineligible_application_names_the_criteria_on_the_form(zhao_jianguo, huang_lei, xu_tao):
    with at(2025, 6, 3):
        page = apply_on_the_web(zhao_jianguo, huang_lei)
    assert page.status_code == 422
    assert "属于创业担保贷款扶持的重点群体" in page.content.decode() and not Case.objects.exists()


def repayments_sheet(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(REPAYMENT_HEADERS))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("还款.xlsx", buffer.getvalue())


def test_repayments_uploaded_as_a_spreadsheet_count_once(graduate_li, wang_fang, xu_tao, huang_lei):
    from chuangye.loans.testing import apply, approve, disburse

    with at(2025, 6, 3):
        case = approve(apply(graduate_li, huang_lei), wang_fang, xu_tao, huang_lei)
    with at(2025, 6, 10):
        loan = disburse(case, huang_lei)
    rows = [
        [loan.number, "2025-06-20", "0", "166.67", "TXN-0001"],
        [loan.number, "2025-09-20", 0, 1533.33, "TXN-0002"],
        ["DK-NOT-OURS", "2025-09-20", "0", "1", "TXN-0003"],
        [loan.number, "2025-09-21", "0", "9999", "TXN-0004"],
    ]
    with at(2025, 9, 25):
        bank = sign_in(Client(), huang_lei)
        page = bank.post("/workbench/loans/repayments/upload/", {"file": repayments_sheet(rows)}).content.decode()
        again = bank.post("/workbench/loans/repayments/upload/", {"file": repayments_sheet(rows[:2])}).content.decode()
    assert page.count("还款已入账") == 2 and "不存在或不属于本行" in page and "超过应收利息" in page
    assert again.count("未重复入账") == 2 and "还款已入账" not in again
    assert sorted(Repayment.objects.values_list("interest", flat=True)) == [Decimal("166.67"), Decimal("1533.33")]
    assert set(Repayment.objects.values_list("source", flat=True)) == {"excel"}


def test_the_fund_page_shows_balance_and_leverage_and_takes_deposits(xu_tao, yang_fan, huang_lei):
    with at(2025, 6, 3):
        city = sign_in(Client(), yang_fan)
        assert city.post("/workbench/loans/fund/", {"fund": "", "amount": "1", "note": "x"}).status_code == 422
        from chuangye.loans.models import GuaranteeFund

        fund = GuaranteeFund.objects.get()
        made = city.post("/workbench/loans/fund/", {"fund": fund.pk, "amount": "500000", "note": "成财社〔2025〕8号"})
        assert made.status_code == 302
        page = sign_in(Client(), xu_tao).get("/workbench/loans/fund/").content.decode()
    assert "1,500,000.00" in page and "上限 5 倍" in page and "成财社〔2025〕8号" in page
    assert "您没有可查看的担保基金" in sign_in(Client(), huang_lei).get("/workbench/loans/fund/").content.decode()


def test_the_subsidy_pages_from_claim_to_payment(graduate_li, wang_fang, xu_tao, huang_lei):
    from openpyxl import load_workbook

    from chuangye.accounts.testing import make_user
    from chuangye.loans.actions import loan_repay
    from chuangye.loans.models import SubsidyBatch, SubsidyClaim
    from chuangye.loans.testing import apply, approve, disburse

    liu_min = make_user("liumin", "supervisor", region_code="510104", real_name="刘敏")
    with at(2025, 6, 3):
        case = approve(apply(graduate_li, huang_lei), wang_fang, xu_tao, huang_lei)
    with at(2025, 6, 10):
        loan = disburse(case, huang_lei)
    with at(2025, 6, 20):
        loan_repay(actor=huang_lei, loan=loan, paid_on=D(2025, 6, 20), principal="0", interest="166.67")
    with at(2025, 7, 2):
        bank = sign_in(Client(), huang_lei)
        filed = bank.post(
            "/workbench/loans/subsidy/", {"action": "file", "year": "2025", "quarter": "2", "form_key": "k"}
        )
        assert filed.status_code == 302
        claim = SubsidyClaim.objects.get()
        statement = bank.get(f"/workbench/loans/subsidy/claims/{claim.pk}/statement.xlsx")
        rows = list(load_workbook(io.BytesIO(statement.content)).worksheets[0].iter_rows(values_only=True))
        assert rows[3][0] == loan.number and Decimal(str(rows[3][8])) == Decimal("83.33")
        officer = sign_in(Client(), wang_fang)
        assert "83.33" in officer.get(f"/workbench/loans/subsidy/claims/{claim.pk}/").content.decode()
        officer.post(f"/workbench/loans/subsidy/claims/{claim.pk}/", {"action": "approve"})
        officer.post("/workbench/loans/subsidy/", {"action": "batch", "claims": [claim.pk]})
        batch = SubsidyBatch.objects.get()
        assert officer.post(f"/workbench/loans/subsidy/batches/{batch.pk}/").status_code == 403  # not a supervisor
        assert sign_in(Client(), liu_min).post(f"/workbench/loans/subsidy/batches/{batch.pk}/").status_code == 302
    claim.refresh_from_db()
    assert claim.state == "paid"
    with at(2025, 7, 3):
        mine = sign_in(Client(), graduate_li).get(f"/me/loans/{loan.pk}/").content.decode()
    assert "已获贴息</dt><dd>83.33 元" in mine
