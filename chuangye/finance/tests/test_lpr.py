"""The LPR series in the database: seeded with the published history, read by every LPR look-up, extended by the
province as new rates are published (one by one or from a spreadsheet)."""

import datetime as dt
import io
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from chuangye.accounts.testing import make_user, sign_in
from chuangye.core.errors import DomainError, FieldValueError
from chuangye.finance.lpr import database_lpr_entries, lpr_create, lpr_import
from chuangye.finance.models import LprRate
from chuangye.loans.testing import apply, approve, certify, disburse, make_guarantor
from chuangye.loans.tests.conftest import at
from chuangye.policies.decide import decide
from chuangye.policies.params import national_parameters
from chuangye.policies.rates import lpr_1y_on, lpr_series

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def zhou_min(db):
    """周敏, a supervisor of the province's bureau: she keeps the LPR series."""
    return make_user("zhoumin", "supervisor", region_code="510000", real_name="周敏")


def test_the_seeded_history_is_the_published_one():
    for term in ("1y", "5y"):
        _, shipped = national_parameters()[f"lpr.{term}"]
        stored = [
            (r.effective_from, Fraction(r.rate)) for r in LprRate.objects.filter(term=term).order_by("effective_from")
        ]
        assert stored == [(e.start, e.value) for e in shipped]
    assert lpr_1y_on(D(2024, 3, 1)).value == Fraction("0.0345")
    assert lpr_1y_on(D(2024, 3, 1)).source == "全国银行间同业拆借中心 贷款市场报价利率（LPR）公告，2023-08-21 起施行"


def test_stored_rates_are_read_back_exactly_in_order():
    """The read every snapshot makes (plain SQL) gives what the ORM gives: exact rates, even those a binary float
    cannot hold (SQLite keeps the column as one), with dates and sources, by term and date."""
    for day, rate in ((D(2026, 3, 20), "0.000001"), (D(2026, 4, 20), "0.999999"), (D(2026, 5, 20), "0.0345")):
        LprRate.objects.create(term="5y", effective_from=day, rate=Decimal(rate), source=f"测试 {rate}")
    rows = LprRate.objects.order_by("term", "effective_from")
    expected = [(r.term, r.effective_from, Fraction(r.rate), r.source) for r in rows]
    read = [(term, e.start, e.value, e.document) for term, e in database_lpr_entries()]
    assert read == expected
    assert read[-3:] == [
        ("5y", D(2026, 3, 20), Fraction(1, 10**6), "测试 0.000001"),
        ("5y", D(2026, 4, 20), Fraction(999_999, 10**6), "测试 0.999999"),
        ("5y", D(2026, 5, 20), Fraction(345, 10**4), "测试 0.0345"),
    ]


def test_a_newly_published_rate_is_used_by_contracts_and_decisions(zhou_min, li_xiaoyu, wang_fang, huang_lei):
    lpr_create(actor=zhou_min, effective_from=D(2026, 3, 20), term="1y", rate="2.90%")
    assert lpr_series("1y").at(D(2026, 3, 20)).value == Fraction("0.029")
    outcome = decide(
        "loan.interest_subsidy",
        {"contract_date": "2026-04-01", "principal": "100000.00", "annual_rate": "0.029", "days": 90},
        on=D(2026, 7, 1),
    )
    assert outcome.amount == Decimal("362.50")  # 100,000 × 2.9% × ½ × 90 / 360
    guarantor = make_guarantor()
    certify(li_xiaoyu.person)
    with at(2026, 3, 23):
        case = approve(apply(li_xiaoyu, huang_lei), wang_fang, guarantor, huang_lei)
        loan = disburse(case, huang_lei, contract_date="2026-03-23", disbursed_on="2026-03-23")
    assert loan.lpr_rate == Decimal("0.029") and loan.annual_rate == Decimal("0.029")


def test_only_the_province_enters_rates_and_each_day_once(zhou_min, wang_fang):
    with pytest.raises(DomainError) as refused:
        lpr_create(actor=wang_fang, effective_from=D(2026, 3, 20), term="1y", rate="2.9%")
    assert refused.value.status == 403
    with pytest.raises(FieldValueError) as refused:
        lpr_create(actor=zhou_min, effective_from=D(2025, 5, 20), term="1y", rate="3%")
    assert "已录入" in refused.value.message
    with pytest.raises(FieldValueError):
        lpr_create(actor=zhou_min, effective_from=D(2026, 3, 20), term="1y", rate="29")


def sheet(rows):
    workbook = Workbook()
    workbook.active.append(["起始日期", "1年期", "5年期以上", "来源"])
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("lpr.xlsx", buffer.getvalue())


def test_excel_import_adds_new_rates_and_skips_known_ones(zhou_min):
    result = lpr_import(
        actor=zhou_min,
        upload=sheet([["2025-05-20", "3.00%", "3.50%", None], [D(2026, 3, 20), 2.9, 3.4, "LPR公告"]]),
    )
    assert (result.created, result.skipped) == (2, 2)
    assert LprRate.objects.get(term="5y", effective_from=D(2026, 3, 20)).rate == Decimal("0.034")
    with pytest.raises(FieldValueError) as refused:
        lpr_import(actor=zhou_min, upload=sheet([["2026-03-20", "2.80%", None, None]]))
    assert "已录入不同的利率" in refused.value.message


def test_the_lpr_page_lists_the_series_and_takes_entries(zhou_min, huang_lei):
    page = sign_in(Client(), huang_lei).get("/workbench/finance/lpr/").content.decode()
    assert "2019-08-20" in page and "4.25%" in page
    client = sign_in(Client(), zhou_min)
    made = client.post("/workbench/finance/lpr/", {"effective_from": "2026-03-20", "term": "1y", "rate": "2.9%"})
    assert made.status_code == 302 and LprRate.objects.filter(effective_from=D(2026, 3, 20)).exists()
