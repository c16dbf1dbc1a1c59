"""Plan 3 in a real browser: 赵建国 asks a question that 成都市's officer answers; he rates it and the answer goes to
the public FAQ; he is matched to the demo mentor 郭明 with the score explained; 李晓雨's business posts an opening
and 赵建国 (whose demo job-seeker profile wants a barista's job) applies."""

import re

from playwright.sync_api import Page, expect

from support import login, screenshot

TITLE = "返乡开店可以申请哪些扶持（浏览器测试）"


def test_a_founder_asks_is_matched_to_a_mentor_and_hires(open_page) -> None:
    founder: Page = open_page("desktop")
    login(founder, "13800000002")  # 赵建国
    founder.goto("/services/ask/")
    founder.get_by_label("咨询类别").select_option("policy")
    founder.get_by_label("问题摘要").fill(TITLE)
    founder.get_by_label("问题内容").fill("我从广州返乡，准备在锦江区开一家咖啡馆，可以申请哪些创业扶持？")
    founder.get_by_role("button", name="提交咨询").click()
    expect(founder.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(founder.get_by_text("锦江区人力资源和社会保障局就业创业科", exact=True)).to_be_visible()
    screenshot(founder, "services-question-asked")

    officer: Page = open_page("desktop")
    login(officer, "officer_cd", next_path="/services/questions/")
    officer.get_by_role("link", name=TITLE).click()
    officer.get_by_label("答复内容").fill("返乡创业农民工可申请创业担保贷款和一次性创业补贴，并可参加创业培训。")
    officer.get_by_role("button", name="提交答复").click()
    expect(officer.get_by_text("已答复").first).to_be_visible()

    founder.reload()
    founder.get_by_label("满意度").select_option("5")
    founder.get_by_role("button", name="提交评价").click()
    expect(founder.get_by_text(re.compile("满意度 5/5"))).to_be_visible()

    officer.reload()
    officer.get_by_label("问题（可改写，勿含个人信息）").fill("返乡创业农民工可以申请哪些扶持")
    officer.get_by_role("button", name="收入常见问题").click()
    expect(officer.get_by_role("link", name="常见问题", exact=True).first).to_be_visible()

    visitor: Page = open_page("phone")
    visitor.goto("/services/faq/?q=返乡创业扶持")
    expect(visitor.get_by_role("heading", name="返乡创业农民工可以申请哪些扶持")).to_be_visible()

    founder.goto("/services/mentors/match/")
    expect(founder.get_by_role("heading", name=re.compile("郭明"))).to_be_visible()
    screenshot(founder, "services-mentor-match")
    founder.get_by_role("button", name="选择郭明为我的导师").click()
    expect(founder.get_by_role("heading", name="赵建国 · 导师 郭明")).to_be_visible()
    expect(founder.get_by_role("heading", name=re.compile("匹配说明"))).to_be_visible()

    owner: Page = open_page("desktop")
    login(owner, "13800000001")  # 李晓雨
    owner.goto("/services/jobs/new/")
    owner.get_by_label("岗位", exact=True).fill("店长助理（浏览器测试）")
    owner.get_by_label("月薪下限（元）").fill("5000")
    owner.get_by_label("月薪上限（元）").fill("7000")
    owner.get_by_label("工作地点").fill("成都市锦江区春熙路")
    owner.get_by_label("任职要求").fill("咖啡门店管理经验，会意式咖啡制作。")
    owner.get_by_role("button", name="发布").click()
    expect(owner.get_by_role("heading", name="店长助理（浏览器测试）")).to_be_visible()

    founder.goto("/services/jobs/")
    founder.get_by_role("link", name="店长助理（浏览器测试）").click()
    founder.get_by_role("button", name="应聘").click()
    expect(founder.get_by_text("您已应聘：已投递")).to_be_visible()
    owner.reload()
    expect(owner.get_by_role("cell", name="赵建国")).to_be_visible()
    screenshot(owner, "services-opening-applications")
