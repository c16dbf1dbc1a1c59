"""Plan 4 in a real browser: the demo training school (孙丽) applies to open an IYB class, the 锦江区 supervisor
approves it on the case page before it starts, 李晓雨 enrols in the demo SYB class on her phone, and the school
shows a session's attendance QR code."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from support import assert_fits_width, login, screenshot


def test_a_class_is_applied_for_approved_and_enrolled_in(open_page, live_server: str) -> None:
    school: Page = open_page("desktop")
    login(school, "trainer_org", next_path="/training/org/")
    school.get_by_role("link", name="申请开班").click()
    start = dt.datetime.now(tz=ZoneInfo("Asia/Shanghai")).date() + dt.timedelta(days=30)
    school.get_by_label("课程", exact=True).select_option("IYB")
    school.get_by_label("班级名称").fill("锦江区IYB改善企业培训班（浏览器测试）")
    school.get_by_label("开班日期").fill(start.isoformat())
    school.get_by_label("结业日期").fill((start + dt.timedelta(days=1)).isoformat())
    school.get_by_label("培训地点（线下培训必填）").fill("锦江区创业服务中心二楼")
    school.get_by_label("计划人数").fill("20")
    school.get_by_label("总学时").fill("70")
    school.get_by_label(re.compile("钱进")).check()
    school.get_by_label(re.compile("课程安排")).fill(
        f"{start.isoformat()} 09:00-17:00 经营诊断\n{(start + dt.timedelta(days=1)).isoformat()} 09:00-17:00 营销改善"
    )
    school.get_by_role("button", name="提交开班申请").click()
    expect(school.get_by_role("heading", name="锦江区IYB改善企业培训班（浏览器测试）")).to_be_visible()
    number = re.search(r"PX-\d{4}-510104-\d{6}", school.content()).group(0)
    screenshot(school, "training-class-institution")

    supervisor: Page = open_page("desktop")
    login(supervisor, "supervisor_jj", next_path="/training/workbench/")
    supervisor.get_by_role("link", name=number).first.click()
    expect(supervisor.get_by_role("heading", name="开班信息")).to_be_visible()
    supervisor.get_by_role("button", name="准予开班", exact=True).click()
    expect(supervisor.get_by_text("准予开班").first).to_be_visible()

    school.reload()
    expect(school.get_by_text(re.compile("准予开班"))).to_be_visible()
    school.get_by_role("link", name="签到码与考勤").first.click()
    expect(school.locator(".qr svg")).to_be_visible()
    screenshot(school, "training-session-qr")

    citizen: Page = open_page("phone")
    login(citizen, "13800000001")  # 李晓雨
    citizen.goto("/training/")
    expect(citizen.get_by_role("heading", name="课程与补贴标准")).to_be_visible()
    citizen.get_by_role("row", name=re.compile("SYB创业培训班（示例）")).get_by_role("link", name="查看并报名").click()
    citizen.get_by_role("button", name="报名参加").click()
    expect(citizen.get_by_text("报名成功")).to_be_visible()
    expect(citizen.get_by_role("cell", name="锦江区2026年SYB创业培训班（示例）")).to_be_visible()
    assert_fits_width(citizen)
    screenshot(citizen, "training-enrolled-phone")

    visitor: Page = open_page("phone")
    visitor.goto("/training/verify/?code=NOSUCHCODE")
    expect(visitor.get_by_text("未找到该核验码对应的培训证书")).to_be_visible()
