"""Plan 5 in a real browser, end to end: a graduate signs up on her phone, declares that she is a graduate and is
certified, sees the policies she now qualifies for, applies for a guaranteed loan, answers the bureau's 一次性告知
and follows her case; the county case worker accepts it, asks once for the missing business plan and passes the
bureau's review before its deadline; the guarantee fund agrees to guarantee; the bank approves, registers the
contract and the disbursement; she sees the approval, her loan and its repayment schedule.

The sign-up code is read where the demo sends text messages: the console sender prints ``[短信] <phone>: …`` to the
server's output, which e2e/run.sh keeps in test-output/e2e/server.log.
"""

import datetime as dt
import re
import secrets
import struct
import time
import zlib
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Locator, Page, expect

from support import OUTPUT_DIR, assert_fits_width, login, screenshot

SHANGHAI = ZoneInfo("Asia/Shanghai")
NAME = "周雨桐"
BIRTH = dt.date(2003, 6, 18)
PASSWORD = "Yutong#Loan2026"  # noqa: S105 - a throwaway account on a throwaway demo database
AMOUNT = "200000"
TERM = "24"
BANK = "示例农村商业银行锦江支行"
LOAN_TITLE = "个人创业担保贷款"
# The instalments of the repayment schedule (on a phone the table's header row is hidden, so not by column name).
SCHEDULE_ROWS = "xpath=//h2[normalize-space()='还款计划']/following-sibling::table[1]/tbody/tr"


def resident_id(region: str, birth: dt.date, order: int) -> str:
    """A valid 18-digit resident ID number (GB 11643 check digit) for a woman (even order code)."""
    body = f"{region}{birth:%Y%m%d}{order:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(digit) * weight for digit, weight in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]


def tiny_png() -> bytes:
    """A real 1×1 white PNG (uploads are checked by content)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


def tiny_pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def sms_code(phone: str) -> str:
    """The sign-up code the demo's console SMS sender printed to the live server's log."""
    log = OUTPUT_DIR / "server.log"
    if not log.exists():
        pytest.skip("the sign-up code is read from the server log that e2e/run.sh writes; no such log here")
    pattern = re.compile(rf"\[短信\] {phone}: .*验证码 (\d{{6}})")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = pattern.findall(log.read_text(encoding="utf-8", errors="replace"))
        if found:
            return found[-1]
        time.sleep(0.2)
    raise AssertionError(f"no sign-up code for {phone} in {log} (is the server's output unbuffered?)")


def fact(page: Page, label: str) -> Locator:
    """The value (<dd>) of a labelled fact (<dt>) on a case or loan page."""
    return page.locator(f"xpath=//dt[normalize-space()='{label}']/following-sibling::dd[1]").first


def shown_date(text: str) -> dt.date:
    found = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text)
    assert found, f"no date in {text!r}"
    return dt.date(*(int(part) for part in found.groups()))


def benefit(page: Page, title: str) -> Locator:
    return page.locator("section.benefit", has=page.get_by_role("heading", name=title, exact=True))


def test_a_graduate_gets_a_guaranteed_loan_from_sign_up_to_schedule(open_page, live_server: str) -> None:
    today = dt.datetime.now(SHANGHAI).date()
    phone = "139" + f"{secrets.randbelow(10**8):08d}"
    id_number = resident_id("510104", BIRTH, 2 * (100 + secrets.randbelow(400)))

    # --- The citizen signs up with her phone and ID number, the code coming by text message ---------------------
    citizen: Page = open_page("phone")
    citizen.goto("/account/signup/")
    citizen.get_by_label("姓名", exact=True).fill(NAME)
    citizen.get_by_label("身份证号", exact=True).fill(id_number)
    citizen.get_by_label("手机号", exact=True).fill(phone)
    citizen.get_by_role("button", name="获取验证码").click()
    expect(citizen.get_by_text("验证码已发送，5分钟内有效。")).to_be_visible()
    citizen.get_by_label("短信验证码", exact=True).fill(sms_code(phone))
    citizen.get_by_label("设置密码", exact=True).fill(PASSWORD)
    citizen.get_by_label("确认密码", exact=True).fill(PASSWORD)
    assert_fits_width(citizen)
    screenshot(citizen, "loan-journey-signup-phone")
    citizen.get_by_role("button", name="注册", exact=True).click()
    expect(citizen).to_have_url(f"{live_server}/me/")
    expect(citizen.get_by_role("heading", name="我的", exact=True)).to_be_visible()
    expect(fact(citizen, "姓名")).to_have_text(NAME)
    expect(fact(citizen, "常住地")).to_have_text("510104")

    # Not yet a key group: the loan is not for her yet, and the page says which criterion fails and why.
    citizen.goto("/me/policies/")
    loan_card = benefit(citizen, LOAN_TITLE)
    expect(loan_card.locator(".badge")).to_have_text("暂不符合")
    expect(loan_card.locator("li.no")).to_have_text(re.compile("属于创业担保贷款扶持的重点群体：不属于"))

    citizen.goto("/me/key-groups/declare/")
    citizen.get_by_label("群体类别", exact=True).select_option("graduate")
    citizen.get_by_label("情况说明", exact=True).fill("2025年6月毕业于四川大学，尚未就业，准备开设茶饮店")
    citizen.get_by_label(re.compile("^证明材料")).set_input_files(
        {"name": "毕业证书.png", "mimeType": "image/png", "buffer": tiny_png()}
    )
    citizen.get_by_role("button", name="提交申报").click()
    expect(citizen.get_by_text("高校毕业生：待认定")).to_be_visible()

    # --- The county case worker certifies her as a graduate ---------------------------------------------------------
    officer: Page = open_page("desktop")
    login(officer, "officer_jj")  # 王芳, 锦江区
    officer.goto("/workbench/key-groups/")
    # Oldest declarations first, 50 a page: hers, the newest, is on the last page.
    declaration = officer.locator("tr", has_text=NAME)
    while not declaration.count() and officer.get_by_role("link", name="下一页").count():
        with officer.expect_navigation():
            officer.get_by_role("link", name="下一页").click()
    expect(declaration).to_contain_text("高校毕业生")
    declaration.get_by_role("link").click()
    expect(officer.get_by_role("heading", name=f"{NAME}：高校毕业生")).to_be_visible()
    expect(officer.get_by_role("link", name="毕业证书.png")).to_be_visible()
    officer.get_by_label("认定意见", exact=True).fill("学信网学历证明核验一致")
    officer.get_by_role("button", name="认定", exact=True).click()
    expect(officer.get_by_role("heading", name="重点群体认定")).to_be_visible()

    # --- She now sees the loan among the policies she qualifies for -----------------------------------------------
    citizen.goto("/me/")
    expect(citizen.get_by_text(re.compile("高校毕业生：已认定"))).to_be_visible()
    citizen.goto("/me/policies/")
    loan_card = benefit(citizen, LOAN_TITLE)
    expect(loan_card.locator(".badge")).to_have_text("符合条件")
    expect(loan_card).to_contain_text("可贷额度")
    expect(loan_card.locator("li.no")).to_have_count(0)
    assert_fits_width(citizen)
    screenshot(citizen, "loan-journey-policies-phone")

    # --- She applies (without the business plan the bureau will ask for) ------------------------------------------
    citizen.goto("/me/loans/apply/")
    citizen.get_by_label("贷款类别", exact=True).select_option("individual")
    citizen.get_by_label("申请金额（元）", exact=True).fill(AMOUNT)
    citizen.get_by_label(re.compile("^贷款期限")).fill(TERM)
    citizen.get_by_label("贷款用途", exact=True).fill("茶饮店装修与设备采购")
    citizen.get_by_label("经办银行", exact=True).select_option(label=BANK)
    assert_fits_width(citizen)
    citizen.get_by_role("button", name="提交申请").click()
    expect(citizen.get_by_role("heading", name=LOAN_TITLE, exact=True)).to_be_visible()
    case_url = citizen.url
    case_id = re.search(r"/me/cases/(\d+)/$", case_url).group(1)
    number = re.search(r"DK-\d{4}-510104-\d{6}", citizen.content()).group(0)
    expect(fact(citizen, "状态")).to_have_text("待人社部门资格审核")
    expect(fact(citizen, "可贷额度")).to_contain_text("200,000.00 元")
    expect(fact(citizen, "经办银行")).to_have_text(BANK)
    expect(citizen.get_by_text("目前无需您操作")).to_be_visible()
    screenshot(citizen, "loan-journey-submitted-phone")

    # --- The case worker accepts it, sees the deadline and asks once for what is missing --------------------------
    officer.goto("/workbench/cases/?case_type=loan.individual")
    row = officer.locator("tr", has=officer.get_by_role("link", name=number))
    expect(row).to_contain_text(NAME)
    expect(row).to_contain_text("待人社部门资格审核")
    expect(row.locator(".badge")).to_have_text("正常")
    row.get_by_role("link", name=number).click()
    expect(officer).to_have_url(f"{live_server}/workbench/cases/{case_id}/")
    officer.get_by_role("button", name="由我承办").click()
    expect(officer.locator(".timeline")).to_contain_text("王芳：分派承办人（王芳）")
    expect(officer.get_by_role("button", name="由我承办")).to_have_count(0)
    due = shown_date(fact(officer, "办结时限").inner_text())
    assert today < due <= today + dt.timedelta(days=14), f"bureau deadline {due} is not 3 working days after {today}"
    expect(fact(officer, "办理模式")).to_have_text("限时办结（3个工作日）")
    expect(officer.locator(".heading-row .badge")).to_have_text("正常")
    screenshot(officer, "loan-journey-case-officer")

    officer.get_by_text("一次性告知需补正的全部材料").click()
    officer.get_by_label("材料名称").first.fill("创业项目计划书")
    officer.get_by_label("具体要求").first.fill("须写明投资预算、经营场所和还款来源")
    officer.get_by_role("button", name="发出一次性告知").click()
    expect(fact(officer, "状态")).to_have_text("待补正材料")
    expect(fact(officer, "办结时限")).to_contain_text("补正期间暂停计时")
    expect(officer.locator(".heading-row .badge")).to_have_text("时限暂停")
    # One notice per round: the form to notify again is gone.
    expect(officer.get_by_text("一次性告知需补正的全部材料")).to_have_count(0)

    # --- She answers the notice with the business plan -------------------------------------------------------------
    citizen.goto(case_url)
    expect(citizen.get_by_role("heading", name="需要您补正材料（一次性告知）")).to_be_visible()
    expect(citizen.get_by_text("须写明投资预算、经营场所和还款来源")).to_be_visible()
    assert_fits_width(citizen)
    screenshot(citizen, "loan-journey-notice-phone")
    citizen.get_by_label("补正说明", exact=True).fill("已上传创业项目计划书，含投资预算和还款来源")
    citizen.get_by_label(re.compile("^补正材料")).set_input_files(
        {"name": "创业项目计划书.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf()}
    )
    citizen.get_by_role("button", name="提交补正").click()
    expect(citizen.get_by_text("目前无需您操作")).to_be_visible()
    expect(fact(citizen, "状态")).to_have_text("待人社部门资格审核")
    expect(citizen.locator(".timeline")).to_contain_text("补正材料")

    # --- The case worker sees the answer and passes the bureau's review before the deadline -----------------------
    officer.reload()
    expect(officer.get_by_text("已于")).to_contain_text("补正：已上传创业项目计划书")
    expect(officer.get_by_role("link", name="创业项目计划书.pdf")).to_be_visible()
    due = shown_date(fact(officer, "办结时限").inner_text())
    assert today < due <= today + dt.timedelta(days=14), f"resumed deadline {due} is not after {today}"
    expect(officer.locator(".heading-row .badge")).to_have_text("正常")
    officer.get_by_role("button", name="资格审核通过，转担保机构").click()
    expect(fact(officer, "状态")).to_have_text("担保机构审核中")
    expect(officer.get_by_role("button", name="资格审核通过，转担保机构")).to_have_count(0)
    # The next tier belongs to the guarantee institution: the bureau cannot take it.
    expect(officer.get_by_role("button", name="同意担保，转经办银行")).to_have_count(0)

    citizen.reload()
    expect(fact(citizen, "状态")).to_have_text("担保机构审核中")

    # --- The guarantee fund agrees to guarantee, within its own time limit ---------------------------------------
    guarantor: Page = open_page("desktop")
    login(guarantor, "guarantor")  # 徐涛, 成都市创业担保基金管理中心
    guarantor.goto("/workbench/loans/")
    row = guarantor.locator("tr", has=guarantor.get_by_role("link", name=number))
    expect(row).to_contain_text(NAME)
    expect(row).to_contain_text("担保机构审核中")
    tier_due = dt.date.fromisoformat(re.search(r"\d{4}-\d{2}-\d{2}", row.inner_text()).group(0))
    assert today < tier_due <= today + dt.timedelta(days=14), f"guarantor deadline {tier_due}"
    row.get_by_role("link", name=number).click()
    expect(guarantor.locator(".heading-row .badge")).to_have_text("担保机构审核中")
    expect(fact(guarantor, "借款人")).to_have_text(NAME)
    guarantor.get_by_role("button", name="同意担保，转经办银行").click()
    expect(guarantor.locator(".heading-row .badge")).to_have_text("经办银行审贷中")
    screenshot(guarantor, "loan-journey-guarantor")

    # --- The bank approves, registers the contract and disburses ----------------------------------------------------
    bank: Page = open_page("desktop")
    login(bank, "bank_jj")  # 黄磊
    bank.goto("/workbench/loans/")
    row = bank.locator("tr", has=bank.get_by_role("link", name=number))
    expect(row).to_contain_text("经办银行审贷中")
    row.get_by_role("link", name=number).click()
    bank.get_by_label(re.compile("^意见")).fill("经营计划可行，同意发放")
    bank.get_by_role("button", name="审贷通过").click()
    expect(bank.locator(".heading-row .badge")).to_have_text("审批通过，待签约放款")
    expect(bank.get_by_role("heading", name="登记借款合同与放款")).to_be_visible()
    contract = f"JJ-CDB-{today:%Y%m%d}-{phone[-4:]}"
    bank.get_by_label("借款合同编号", exact=True).fill(contract)
    bank.get_by_label("合同签订日", exact=True).fill(today.isoformat())
    bank.get_by_label("放款日", exact=True).fill(today.isoformat())
    expect(bank.get_by_label(re.compile("^贷款本金"))).to_have_value("200000.00")
    bank.get_by_label("还款方式", exact=True).select_option("equal_instalment")
    bank.get_by_label("结息周期", exact=True).select_option("monthly")
    screenshot(bank, "loan-journey-disbursement-bank")
    bank.get_by_role("button", name="登记放款并生成还款计划").click()
    expect(bank).to_have_url(re.compile(r"/workbench/loans/\d+/$"))
    expect(fact(bank, "借款人")).to_have_text(NAME)
    expect(fact(bank, "借款合同")).to_contain_text(f"{contract}，{today:%Y-%m-%d} 签订，{today:%Y-%m-%d} 放款")
    expect(fact(bank, "本金 / 期限")).to_contain_text(f"200,000.00 元 / {TERM} 个月")
    expect(fact(bank, "状态")).to_have_text("还款中")
    expect(fact(bank, "执行年利率")).to_contain_text("合同签订日 1年期 LPR")
    expect(fact(bank, "执行年利率")).to_contain_text("等额本息")
    schedule = bank.locator(SCHEDULE_ROWS)
    assert schedule.count() >= int(TERM), f"only {schedule.count()} instalments for a {TERM}-month loan"
    screenshot(bank, "loan-journey-loan-bank")

    # --- She sees the final state, her loan and its schedule -----------------------------------------------------
    citizen.goto(case_url)
    expect(citizen.get_by_role("heading", name="办理结果：审批通过，待签约放款")).to_be_visible()
    # Every step, in order, with who took it.
    steps = (
        f"{NAME}：提交申请",
        "王芳：分派承办人（王芳）",
        "王芳：一次性告知需补正材料（创业项目计划书）",
        f"{NAME}：补正材料（已上传创业项目计划书",
        "王芳：资格审核通过，转担保机构",
        "徐涛：同意担保，转经办银行",
        "黄磊：审贷通过（经营计划可行，同意发放）",
    )
    expect(citizen.locator(".timeline li")).to_have_text([re.compile(re.escape(step)) for step in steps])
    assert_fits_width(citizen)
    screenshot(citizen, "loan-journey-approved-phone")
    citizen.locator("p", has_text="已放款：").get_by_role("link").click()
    expect(citizen.get_by_role("heading", name="我的创业担保贷款")).to_be_visible()
    expect(fact(citizen, "借款合同")).to_contain_text(contract)
    expect(fact(citizen, "本金 / 期限")).to_contain_text(f"200,000.00 元 / {TERM} 个月")
    rows = citizen.locator(SCHEDULE_ROWS)
    assert rows.count() == schedule.count()
    expect(rows.first.locator("td").nth(4)).to_have_text("200,000.00")
    assert_fits_width(citizen)
    screenshot(citizen, "loan-journey-schedule-phone")
