"""Demo records for nurturing founders, made through the real actions once and then found by name: 李晓雨's project
assessment (with 郭明's mentor note) and two simulation scenarios; a graduate training camp in 锦江区 and a
night-economy support package; and 成都市's “创客中国” city round with 郭明 as judge."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from chuangye.accounts.models import User
from chuangye.cultivation import actions
from chuangye.cultivation.models import Assessment, Competition, Programme

PROJECT = {
    "project_name": "青禾茶饮（示例）",
    "industry": "catering",
    "site": "negotiating",
    "location": "锦江区春熙路商圈",
    "investment": "200000",
    "own_funds": "50000",
    "loan_amount": "150000",
    "loan_term_months": "24",
    "loan_annual_rate": "1.5",
    "price": "18",
    "monthly_volume": "3000",
    "unit_variable_cost": "7",
    "monthly_fixed_cost": "17000",
    "experience_years": "1",
    "team_size": "2",
}
SCENARIO = {
    "name": "茶饮店·贷款15万",
    "months": "24",
    "start_month": "7",
    "opening_cash": "50000",
    "initial_investment": "200000",
    "price": "18",
    "monthly_volume": "3000",
    "unit_variable_cost": "7",
    "monthly_fixed_cost": "9000",
    "staff_count": "2",
    "monthly_wage": "4000",
    "loan_principal": "150000",
    "loan_term_months": "24",
    "loan_annual_rate": "1.5",
    "subsidy_once": "10000",
    "subsidy_once_month": "3",
    "season_1": "60",
    "season_2": "50",
}


def _graduate_status(li: User, officer: User) -> None:
    """李晓雨 is a 2024 graduate: her 高校毕业生 status recorded by 王芳 unless another demo already did, so the
    assess → simulate → apply for a loan → attach journey can be walked with the demo accounts."""
    from chuangye.registry.actions import key_group_certify_directly
    from chuangye.registry.models import KeyGroupCategory
    from chuangye.registry.selectors import active_key_groups

    if "graduate" in active_key_groups(li.person, timezone.localdate()):
        return
    key_group_certify_directly(
        actor=officer,
        person=li.person,
        category=KeyGroupCategory.objects.get(code="graduate"),
        valid_from=dt.date(2024, 7, 1),
        valid_to=None,
        note="依据高校毕业生名单认定（演示数据）",
    )


@transaction.atomic
def seed() -> str:
    users = {
        u.username: u for u in User.objects.filter(username__in=["grad_li", "officer_jj", "officer_cd", "mentor_guo"])
    }
    if len(users) < 4 or Assessment.objects.filter(project_name=PROJECT["project_name"]).exists():
        return "创业培育：演示数据已存在或缺少演示账户，未新增。"
    li, officer, city, mentor = users["grad_li"], users["officer_jj"], users["officer_cd"], users["mentor_guo"]
    if getattr(li, "person", None) is None:
        return "创业培育：李晓雨尚无实名信息，未新增。"
    _graduate_status(li, officer)
    assessment = actions.assessment_create(actor=li, data=PROJECT)
    actions.mentor_note_add(actor=mentor, assessment=assessment, text="装修预算偏高，建议先租用带基础装修的铺面。")
    actions.simulation_save(actor=li, data=SCENARIO)
    actions.simulation_save(
        actor=li,
        data={
            **SCENARIO,
            "name": "茶饮店·不贷款小店",
            "initial_investment": "45000",
            "loan_principal": "0",
            "staff_count": "0",
            "monthly_volume": "2000",
        },
    )
    if not Programme.objects.filter(title="锦江区大学生创业训练营（示例）").exists():
        base = {
            "capacity": "40",
            "starts_on": "2026-12-07",
            "ends_on": "2026-12-11",
            "supports": ["training", "mentoring"],
        }
        actions.programme_create(
            actor=officer,
            data={
                **base,
                "kind": "camp",
                "title": "锦江区大学生创业训练营（示例）",
                "target_group": "graduate",
                "description": "五天集中训练：商业模式、财务测算、风险评估与路演，结营后由创业导师跟踪指导半年。",
            },
        )
        actions.programme_create(
            actor=officer,
            data={
                **base,
                "kind": "support",
                "title": "夜经济摊位扶持包（示例）",
                "target_group": "employment_difficulty",
                "capacity": "20",
                "supports": ["site", "funds", "marketing"],
                "description": "为就业困难人员提供夜市摊位三个月免租、开业物料补助和统一宣传。",
            },
        )
    if not Competition.objects.filter(name="“创客中国”成都赛区（示例）").exists():
        contest = actions.competition_create(
            actor=city,
            data={
                "name": "“创客中国”成都赛区（示例）",
                "level": "city",
                "organiser": "成都市人力资源和社会保障局",
                "year": "2026",
                "stages": "初赛\n决赛",
                "rubric": "创新性:30\n商业可行性:30\n团队:20\n社会效益:20",
            },
        )
        actions.judge_add(actor=city, competition=contest, username="mentor_guo")
        actions.submission_create(
            actor=li,
            competition=contest,
            data={"project_name": "青禾茶饮", "summary": "面向高校周边的新式茶饮与轻食，使用本地茶叶和水果。"},
        )
    return "创业培育：1 个项目评估、2 个模拟方案、2 个培育项目、1 场创业大赛。"
