"""Plan 1 in a real browser: a graduate applies to register a business on her phone, a county officer asks for a
missing document once, she supplements it, the officer's supervisor approves, and she downloads her licence."""

import re

from playwright.sync_api import Page, expect

from support import assert_fits_width, login, screenshot


def test_a_registration_from_application_to_licence(open_page, live_server: str) -> None:
    citizen: Page = open_page("phone")
    login(citizen, "13800000001")  # 李晓雨, by her phone number
    citizen.goto("/me/registration/new/")
    citizen.get_by_label("名称", exact=True).fill("晓雨文创工作室")
    citizen.get_by_label("住所（经营场所）", exact=True).fill("成都市锦江区春熙路1号")
    citizen.get_by_label("经营范围", exact=True).fill("文化创意设计服务")
    citizen.get_by_label("行业门类", exact=True).select_option("R")
    assert_fits_width(citizen)
    screenshot(citizen, "registration-form-phone")
    citizen.get_by_role("button", name="提交申请").click()
    expect(citizen.get_by_role("heading", name="市场主体设立登记")).to_be_visible()
    number = re.search(r"DJ-\d{4}-510104-\d{6}", citizen.content()).group(0)

    officer: Page = open_page("desktop")
    login(officer, "officer_jj")
    officer.goto("/workbench/cases/")
    officer.get_by_role("link", name=number).click()
    officer.get_by_role("button", name="受理", exact=True).click()
    officer.get_by_text("一次性告知需补正的全部材料").click()
    officer.get_by_label("材料名称").first.fill("住所使用证明")
    officer.get_by_label("具体要求").first.fill("租赁合同须有出租方签章")
    officer.get_by_role("button", name="发出一次性告知").click()
    expect(officer.get_by_text("待补正材料").first).to_be_visible()
    screenshot(officer, "registration-case-officer")

    citizen.reload()
    expect(citizen.get_by_role("heading", name="需要您补正材料（一次性告知）")).to_be_visible()
    citizen.get_by_label("补正说明").fill("已上传盖章的租赁合同")
    citizen.get_by_role("button", name="提交补正").click()
    expect(citizen.get_by_text("目前无需您操作")).to_be_visible()

    supervisor: Page = open_page("desktop")
    login(supervisor, "supervisor_jj")
    supervisor.goto("/workbench/cases/")
    supervisor.get_by_role("link", name=number).click()
    supervisor.get_by_role("button", name="准予登记", exact=True).click()
    expect(supervisor.get_by_text("准予登记").first).to_be_visible()

    citizen.reload()
    expect(citizen.get_by_role("heading", name="办理结果：准予登记")).to_be_visible()
    screenshot(citizen, "registration-approved-phone")
    with citizen.expect_download() as download:
        citizen.get_by_role("link", name="下载电子营业执照（PDF）").click()
    assert download.value.suggested_filename.startswith("licence-92510104")
