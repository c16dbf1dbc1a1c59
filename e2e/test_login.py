"""Signing in: password, then the authenticator code that staff and partner accounts need."""

import re

from playwright.sync_api import Page, expect

from support import DEMO_PASSWORD, assert_fits_width, demo_totp, login, screenshot


def test_county_officer_signs_in_and_lands_on_the_workbench(page: Page, live_server: str) -> None:
    page.goto("/login/")
    page.get_by_label("账号", exact=True).fill("officer_jj")
    page.get_by_label("密码", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()

    # Staff: the password alone gives no session; the second step asks for the authenticator's code.
    expect(page.get_by_role("heading", name="第二步：动态验证码")).to_be_visible()
    screenshot(page, "login-otp-step")
    page.get_by_label("动态验证码", exact=True).fill(demo_totp("officer_jj"))
    page.get_by_role("button", name="验证并登录", exact=True).click()

    expect(page).to_have_url(f"{live_server}/workbench/")
    expect(page.get_by_role("heading", name="工作台", exact=True)).to_be_visible()
    expect(page.get_by_text("四川省成都市锦江区（510104）", exact=True)).to_be_visible()
    expect(page.get_by_role("banner")).to_contain_text("王芳")
    screenshot(page, "workbench-home-officer_jj")


def test_a_wrong_password_is_refused_in_chinese(page: Page, live_server: str) -> None:
    # officer_wh, whom no other journey signs in: failed attempts count towards a per-account lockout.
    page.goto("/login/")
    page.get_by_label("账号", exact=True).fill("officer_wh")
    page.get_by_label("密码", exact=True).fill("Wrong#password1")
    page.get_by_role("button", name="登录", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text("账号或密码不正确")
    expect(page).to_have_url(f"{live_server}/login/")
    expect(page.get_by_label("账号", exact=True)).to_have_value("officer_wh")
    expect(page.get_by_label("密码", exact=True)).to_have_value("")
    screenshot(page, "login-wrong-password")


def test_signing_in_on_a_phone(phone_page: Page) -> None:
    phone_page.goto("/login/")
    assert_fits_width(phone_page)
    screenshot(phone_page, "login-phone")

    login(phone_page, "officer_cd")  # 杨帆, city officer: where does the platform send staff?

    expect(phone_page).to_have_url(re.compile(r"/workbench/$"))
    expect(phone_page.get_by_text("四川省成都市（510100）", exact=True)).to_be_visible()
    assert_fits_width(phone_page)
    screenshot(phone_page, "workbench-home-phone")
