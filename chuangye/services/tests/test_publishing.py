"""Information publishing with review, Chinese full-text search, event registration, and the service catalogue."""

import dataclasses
import io

import pytest
from django.test import Client
from pypdf import PdfReader

from chuangye.accounts.models import Role
from chuangye.accounts.testing import make_user, sign_in
from chuangye.cases import types
from chuangye.core.errors import DomainError
from chuangye.policies.catalogue import CATALOGUE
from chuangye.services import actions, search
from chuangye.services.models import Article, EventSignup

pytestmark = pytest.mark.django_db


@pytest.fixture
def liu_min(db):
    return make_user("liumin", Role.SUPERVISOR, region_code="510104", real_name="刘敏")


def publish(author, reviewer, **data):
    article = actions.article_save(actor=author, data=data)
    actions.article_submit(actor=author, article=article)
    return actions.article_review(actor=reviewer, article=article, approve=True)


def test_an_editor_writes_a_supervisor_reviews_and_only_then_the_public_sees_it(wang_fang, liu_min):
    editor, reviewer = sign_in(Client(), wang_fang), sign_in(Client(), liu_min)
    response = editor.post(
        "/services/editor/",
        {
            "kind": "policy",
            "title": "关于做好一次性创业补贴申领工作的通知",
            "document_number": "成人社发〔2026〕12号",
            "policy_code": "subsidy.startup_once",
            "body": "符合条件的高校毕业生、就业困难人员和返乡创业农民工，可申领一次性创业补贴。",
        },
    )
    article = Article.objects.get()
    assert response["Location"] == f"/services/editor/{article.pk}/"
    assert Client().get(f"/services/info/{article.pk}/").status_code == 404  # a draft is not public
    editor.post(f"/services/editor/{article.pk}/", {"action": "submit"})
    article.refresh_from_db()
    assert article.state == Article.State.PENDING
    # The editor cannot publish their own article, even as a supervisor would (maker-checker).
    with pytest.raises(DomainError):
        actions.article_review(actor=wang_fang, article=article, approve=True)
    returned = reviewer.post(f"/services/editor/{article.pk}/", {"action": "return", "note": ""})
    assert returned.status_code == 422 and "「审核意见」不能为空" in returned.content.decode()
    assert reviewer.post(f"/services/editor/{article.pk}/", {"action": "publish"}).status_code == 302
    article.refresh_from_db()
    assert article.state == Article.State.PUBLISHED and article.reviewer == liu_min
    page = Client().get(f"/services/info/{article.pk}/").content.decode()
    assert "成人社发〔2026〕12号" in page
    # Linked to the policy engine: its parameters with the values in force and their documents.
    assert "一次性创业补贴：最短正常经营月数" in page and "国发〔2017〕28号" in page


def test_a_policy_needs_its_document_number_and_a_known_policy(wang_fang):
    with pytest.raises(DomainError, match="「文号」不能为空"):
        actions.article_save(actor=wang_fang, data={"kind": "policy", "title": "t", "body": "b"})
    with pytest.raises(DomainError, match="关联政策"):
        actions.article_save(
            actor=wang_fang,
            data={"kind": "policy", "title": "t", "body": "b", "document_number": "x号", "policy_code": "nope"},
        )
    assert Article.objects.count() == 0


def test_chinese_queries_find_chinese_text(wang_fang, liu_min):
    subsidy = publish(
        wang_fang,
        liu_min,
        kind="policy",
        title="关于做好一次性创业补贴申领工作的通知",
        document_number="成人社发〔2026〕12号",
        body="高校毕业生首次创业，正常经营满12个月的，可申请一次性创业补贴。",
    )
    loan = publish(
        wang_fang,
        liu_min,
        kind="news",
        title="创业担保贷款额度提高到30万元",
        body="个人创业担保贷款最高额度调整为30万元。",
    )
    publish(wang_fang, liu_min, kind="news", title="马兰花创业培训开班", body="SYB创业培训课程本月开课。")

    def found(query):
        return [a.pk for a in search.search(Article.objects.filter(state="published"), query)]

    assert found("一次性创业补贴") == [subsidy.pk]
    assert found("毕业生怎么申请补贴？") == [subsidy.pk]  # words in the body, stopwords dropped
    assert found("担保贷款") == [loan.pk]  # segmented 创业/担保/贷款 in the index
    assert found("创业") != [] and set(found("创业")) >= {subsidy.pk, loan.pk}
    assert found("成人社发") == [subsidy.pk]  # the document number is indexed too
    assert found("贷款补贴") == []  # every word must occur
    assert found("？！") == []
    response = Client().get("/services/info/", {"q": "创业担保贷款"})
    assert "创业担保贷款额度提高到30万元" in response.content.decode()
    assert "马兰花" not in response.content.decode()
    api = Client().get("/api/v1/services/search", {"q": "创业培训"}).json()
    assert [a["title"] for a in api["articles"]] == ["马兰花创业培训开班"]


def test_event_registration_respects_capacity_and_time(wang_fang, liu_min, li_xiaoyu, zhao_jianguo):
    event = publish(
        wang_fang,
        liu_min,
        kind="event",
        title="创业沙龙",
        body="交流创业经验。",
        event_starts_at="2099-01-01T14:00",
        event_place="锦江区创业园",
        event_capacity="1",
    )
    anonymous = Client().post(f"/services/info/{event.pk}/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
    assert sign_in(Client(), li_xiaoyu).post(f"/services/info/{event.pk}/").status_code == 302
    full = sign_in(Client(), zhao_jianguo).post(f"/services/info/{event.pk}/")
    assert full.status_code == 409 and "名额已满" in full.content.decode()
    assert EventSignup.objects.count() == 1


def test_the_catalogue_is_generated_from_the_case_types_and_policies_at_request_time():
    page = Client().get("/services/catalogue/").content.decode()
    for case_type in types.all_types():
        assert case_type.title in page
    for policy in CATALOGUE.values():
        assert policy.title in page
    assert "登记申请书" in page and "3个工作日" in page  # materials and time limit of 市场主体设立登记
    assert "创业担保贷款、市场主体登记3个工作日内答复" in page  # consultation limits come from the routing table
    # A case type registered later shows up without anyone editing the catalogue.
    extra = dataclasses.replace(types.get("registration.establish"), code="zz.demo", title="演示新办件", materials=())
    types.register(extra)
    try:
        assert "演示新办件" in Client().get("/services/catalogue/").content.decode()
    finally:
        types._REGISTRY.pop("zz.demo")


def test_the_catalogue_prints_as_a_pdf():
    response = Client().get("/services/catalogue.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "创业服务功能手册" in text
    assert "市场主体设立登记" in text and "一次性创业补贴" in text
    api = Client().get("/api/v1/services/catalogue").json()
    assert {s["code"] for s in api} >= {"registration.establish", "subsidy.startup_once", "services.consultation"}
