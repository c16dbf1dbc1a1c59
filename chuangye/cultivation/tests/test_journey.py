"""The "done means" journey through the web pages: 李晓雨, a graduate, assesses her project, runs a simulation with
its stress view, and attaches both to her own loan application, which 黄磊's bank then sees on its page."""

import re

import pytest
from django.test import Client

from chuangye.accounts.testing import sign_in
from chuangye.core.models import AuditEvent
from chuangye.cultivation.models import Assessment, LoanAttachment, MentorNote, Simulation
from chuangye.cultivation.tests.conftest import at
from chuangye.loans.testing import apply

pytestmark = pytest.mark.django_db

PROJECT = {
    "project_name": "青禾茶饮",
    "industry": "catering",
    "site": "negotiating",
    "location": "春熙路商圈",
    "investment": "200000",
    "own_funds": "40000",
    "loan_amount": "150000",
    "loan_term_months": "24",
    "loan_annual_rate": "1.5",
    "price": "18",
    "monthly_volume": "3000",
    "unit_variable_cost": "7",
    "monthly_fixed_cost": "15000",
    "experience_years": "1",
    "team_size": "2",
}
SCENARIO = {
    "name": "茶饮店·稳健方案",
    "months": "24",
    "start_month": "7",
    "opening_cash": "40000",
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
    "loan_method": "equal_principal",
    "subsidy_once": "10000",
    "subsidy_once_month": "3",
    **{f"season_{m}": "100" for m in range(1, 13)},
    "season_1": "60",
    "season_2": "50",
}


def test_assess_simulate_and_attach_to_the_loan_application(graduate_li, huang_lei, wu_ting, xu_tao, wang_fang):
    li = sign_in(Client(), graduate_li)
    # 1. The assessment: every factor's contribution and the concrete recommendations.
    response = li.post("/cultivation/assessments/new/", PROJECT)
    assert response.status_code == 302
    assessment = Assessment.objects.get(person=graduate_li.person)
    page = li.get(response["Location"]).content.decode()
    assert "自有资金占比" in page and "20.0%" in page and "20 / 20" in page
    assert "自有资金低于投资额的30%：建议自有资金至少达到 60000.00 元" in page
    assert "10000.00 元资金缺口" in page
    assert assessment.grade == "medium" and assessment.model_version == "2026.1"

    # 2. The simulation: a preview shows the chart, break-even, lowest cash and the stress view; then it is saved.
    preview = li.post("/cultivation/simulations/new/", {**SCENARIO, "action": "preview"})
    assert preview.status_code == 200 and not Simulation.objects.exists()
    html = preview.content.decode()
    assert 'id="sim-chart"' in html and 'id="sim-data"' in html and "echarts.min.js" in html
    assert "盈亏平衡月" in html and "销量下降20%" in html and "最低现金" in html
    saved = li.post("/cultivation/simulations/new/", {**SCENARIO, "action": "save"})
    assert saved.status_code == 302
    simulation = Simulation.objects.get(person=graduate_li.person)
    # Month 1: 40000 + 54000 sales + 150000 loan − 21000 − 9000 − 8000 wages − 200000 fit-out − 187.50 − 6250
    assert simulation.lowest_cash_month == 1 and str(simulation.lowest_cash) == "-437.50"
    assert simulation.stress_lowest_cash < simulation.lowest_cash
    detail = li.get(saved["Location"]).content.decode()
    assert "-437.50 元（第 1 个月）" in detail and "现金为负" in detail

    # 3. Her loan application (an open case of her own), then attach both through the pages.
    with at(2025, 6, 3):
        case = apply(graduate_li, huang_lei, requested_amount="150000.00")
    application = case.loan_application
    assert li.post(f"/cultivation/assessments/{assessment.pk}/", {"action": "attach", "application": application.pk})[
        "Location"
    ].endswith(f"/cultivation/assessments/{assessment.pk}/")
    assert li.post(f"/cultivation/simulations/{simulation.pk}/", {"application": application.pk}).status_code == 302
    link = LoanAttachment.objects.get(application=application)
    assert (link.assessment, link.simulation) == (assessment, simulation)
    assert AuditEvent.objects.filter(action="cultivation.loan_attach").count() == 2

    # 4. A mentor-like note from the district officer, then the bank reads everything on its application page.
    officer = sign_in(Client(), wang_fang)
    officer.post(f"/cultivation/assessments/{assessment.pk}/", {"action": "note", "note": "建议先压缩装修投入"})
    assert MentorNote.objects.filter(assessment=assessment).count() == 1
    bank_page = sign_in(Client(), huang_lei).get(f"/workbench/loans/applications/{application.pk}/")
    text = bank_page.content.decode()
    assert bank_page.status_code == 200
    assert "申请人附带的项目评估与经营模拟" in text and "青禾茶饮" in text and "自有资金低于投资额的30%" in text
    assert "建议先压缩装修投入" in text and "茶饮店·稳健方案" in text and "-437.50" in text
    # The bank may open the attached assessment itself; another district's bank may not.
    assert sign_in(Client(), huang_lei).get(f"/cultivation/assessments/{assessment.pk}/").status_code == 200
    assert sign_in(Client(), wu_ting).get(f"/cultivation/assessments/{assessment.pk}/").status_code == 404


def test_someone_elses_application_cannot_be_attached_to(graduate_li, zhao_jianguo, huang_lei, xu_tao):
    from chuangye.loans.testing import certify

    certify(zhao_jianguo.person, "returning_migrant")
    with at(2025, 6, 3):
        theirs = apply(zhao_jianguo, huang_lei, requested_amount="50000.00").loan_application
    li = sign_in(Client(), graduate_li)
    li.post("/cultivation/assessments/new/", PROJECT)
    assessment = Assessment.objects.get(person=graduate_li.person)
    response = li.post(f"/cultivation/assessments/{assessment.pk}/", {"action": "attach", "application": theirs.pk})
    assert response.status_code == 422 and "请选择您本人的贷款申请" in response.content.decode()
    assert not LoanAttachment.objects.exists()
    # Nor can 赵建国 open or attach 李晓雨's assessment.
    zhao = sign_in(Client(), zhao_jianguo)
    assert (
        zhao.post(
            f"/cultivation/assessments/{assessment.pk}/", {"action": "attach", "application": theirs.pk}
        ).status_code
        == 404
    )


def test_bad_input_names_the_field_and_saves_nothing(graduate_li):
    li = sign_in(Client(), graduate_li)
    response = li.post("/cultivation/assessments/new/", {**PROJECT, "own_funds": "1.234"})
    assert response.status_code == 422
    assert "「自有资金（元）」最多保留两位小数（精确到分）" in response.content.decode()
    response = li.post("/cultivation/simulations/new/", {**SCENARIO, "months": "48", "action": "save"})
    assert response.status_code == 422 and "「模拟月数」应为 12 至 36 之间的整数" in response.content.decode()
    assert not Assessment.objects.exists() and not Simulation.objects.exists()


def test_scenarios_side_by_side(graduate_li):
    li = sign_in(Client(), graduate_li)
    li.post("/cultivation/simulations/new/", {**SCENARIO, "action": "save"})
    li.post(
        "/cultivation/simulations/new/", {**SCENARIO, "name": "茶饮店·不贷款", "loan_principal": "0", "action": "save"}
    )
    ids = list(Simulation.objects.values_list("pk", flat=True))
    page = li.get("/cultivation/simulations/compare/", {"ids": ids}).content.decode()
    assert "茶饮店·稳健方案" in page and "茶饮店·不贷款" in page
    assert len(re.findall(r"销量降20%最低现金", page)) == 1


def test_a_catalogue_project_opens_in_the_simulator(graduate_li):
    page = sign_in(Client(), graduate_li).get("/cultivation/simulations/new/?project=night_snack").content.decode()
    assert 'value="夜市小吃摊"' in page and 'value="1800"' in page
    public = Client().get("/cultivation/projects/").content.decode()
    assert "夜经济" in public and "后备箱经济" in public and "8,000.00" in public


def test_the_calculators_over_the_api(graduate_li, wang_fang):
    import json

    li = sign_in(Client(), graduate_li)
    response = li.post("/api/v1/cultivation/assess", json.dumps({"fields": PROJECT}), content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == "2026.1" and {f["code"] for f in body["factors"]} >= {"own_funds", "coverage"}
    response = li.post(
        "/api/v1/cultivation/simulate", json.dumps({"fields": SCENARIO}), content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["base"]["lowest_cash"] == "-437.50" and len(response.json()["stress"]["months"]) == 24
    bad = li.post(
        "/api/v1/cultivation/simulate",
        json.dumps({"fields": {**SCENARIO, "price": "1.999"}}),
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "price"
    assert not Simulation.objects.exists()
    li.post("/cultivation/assessments/new/", PROJECT)
    assert [a["project_name"] for a in li.get("/api/v1/cultivation/assessments").json()] == ["青禾茶饮"]
    assert len(sign_in(Client(), wang_fang).get("/api/v1/cultivation/assessments").json()) == 1
    assert Client().get("/api/v1/cultivation/assessments").status_code == 401


def test_a_mentor_of_the_city_adds_notes_one_elsewhere_cannot_see(graduate_li):
    from chuangye.accounts.models import Role
    from chuangye.accounts.testing import make_user

    guo = make_user("guoming", Role.MENTOR, region_code="510100", real_name="郭明")
    far = make_user("far_mentor", Role.MENTOR, region_code="440100", real_name="远方导师")
    sign_in(Client(), graduate_li).post("/cultivation/assessments/new/", PROJECT)
    assessment = Assessment.objects.get()
    mentor = sign_in(Client(), guo)
    assert "青禾茶饮" in mentor.get("/cultivation/assessments/").content.decode()
    mentor.post(f"/cultivation/assessments/{assessment.pk}/", {"action": "note", "note": "先做三个月夜市试营业"})
    assert MentorNote.objects.get().author == guo
    outsider = sign_in(Client(), far)
    assert outsider.get(f"/cultivation/assessments/{assessment.pk}/").status_code == 404
    assert (
        outsider.post(f"/cultivation/assessments/{assessment.pk}/", {"action": "note", "note": "越权"}).status_code
        == 404
    )
    # The founder cannot write a mentor's note on her own assessment.
    response = sign_in(Client(), graduate_li).post(
        f"/cultivation/assessments/{assessment.pk}/", {"action": "note", "note": "自己写"}
    )
    assert response.status_code == 422 and MentorNote.objects.count() == 1
