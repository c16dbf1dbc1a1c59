"""The catalogue, competition and listing pages through the web: forms that change data, and what each page shows."""

import pytest
from django.test import Client

from chuangye.accounts.models import Organisation, Role
from chuangye.accounts.testing import make_org, make_user, sign_in
from chuangye.training.models import Competition, Entrant, Institution, Score, Trainer
from chuangye.training.tests.conftest import travel

pytestmark = pytest.mark.django_db


def test_an_officer_lists_an_institution_and_registers_a_trainer_through_the_web(wang_fang, chen_gang):
    org = make_org("锦江区新开培训学校", Organisation.Kind.TRAINING, "510104")
    with travel("2026-02-02"):
        officer = sign_in(Client(), wang_fang)
        form = {
            "action": "institution",
            "credit_code": org.credit_code,
            "courses": ["GYB", "SYB"],
            "listed_from": "2026-02-01",
            "listed_until": "2026-01-01",
            "document": "锦人社办〔2026〕3号",
        }
        bad = officer.post("/training/workbench/catalogue/", form)
        assert bad.status_code == 422 and "「目录有效期至」不能早于列入目录日期" in bad.content.decode()
        form["listed_until"] = "2027-01-31"
        assert officer.post("/training/workbench/catalogue/", form).status_code == 302
        institution = Institution.objects.get()
        assert institution.courses == ["GYB", "SYB"]
        other = sign_in(Client(), chen_gang).post("/training/workbench/catalogue/", form)
        assert other.status_code == 403 and "本地区" in other.content.decode()
        trainer = {
            "action": "trainer",
            "institution": institution.pk,
            "name": "钱进",
            "level": "senior",
            "certificate_number": "JS-9",
            "courses": ["SYB"],
            "valid_until": "2027-12-31",
        }
        assert officer.post("/training/workbench/catalogue/", trainer).status_code == 302
        again = officer.post("/training/workbench/catalogue/", trainer)
        assert again.status_code == 422 and "已登记过" in again.content.decode()
    assert Trainer.objects.get().name == "钱进"
    public = Client().get("/training/institutions/").content.decode()
    assert "锦江区新开培训学校" in public and "锦人社办〔2026〕3号" in public


def test_a_competition_is_run_through_the_web(sun_li, qian_jin, wang_fang):
    judges = [wang_fang, make_user("judge2", Role.OFFICER, region_code="510104"), make_user("guo", Role.MENTOR)]
    with travel("2026-05-01"):
        officer = sign_in(Client(), wang_fang)
        response = officer.post(
            "/training/workbench/competitions/",
            {"title": "讲师大赛", "held_on": "2026-05-20", "tracks": "综合能力，微课", "rubric": "设计 50\n呈现 50"},
        )
        assert response.status_code == 302
        competition = Competition.objects.get()
        assert list(competition.tracks.values_list("name", flat=True)) == ["综合能力", "微课"]
        url = f"/training/workbench/competitions/{competition.pk}/"
        for judge in judges:
            assert officer.post(url, {"action": "judge", "username": judge.username}).status_code == 302
        track = competition.tracks.first()
        form = {"action": "entrant", "track": track.pk, "certificate_number": qian_jin.certificate_number}
        assert officer.post(url, form).status_code == 302
        entrant = Entrant.objects.get()
        for judge, marks in zip(judges, (["40", "40"], ["30", "35"], ["45", "44"]), strict=True):
            client = sign_in(Client(), judge)
            assert "我的评分" in client.get(url).content.decode()
            assert client.post(url, {"action": "score", "entrant": entrant.pk, "score": marks}).status_code == 302
        assert Score.objects.count() == 3
        assert officer.post(url, {"action": "publish"}).status_code == 302
    entrant.refresh_from_db()
    assert str(entrant.final_score) == "80.00" and entrant.award == "一等奖"
    assert "讲师大赛" in Client().get(f"/training/trainers/{qian_jin.pk}/").content.decode()


def test_pages_render_for_their_users(sun_li, klass, wang_fang, li_xiaoyu, huang_lei):
    with travel("2026-03-05"):
        assert "创办你的企业（SYB）" in Client().get("/training/?region=510104").content.decode()
        assert sign_in(Client(), li_xiaoyu).get("/training/me/").status_code == 200
        assert "还没有报名" in sign_in(Client(), li_xiaoyu).get("/training/me/").content.decode()
        assert sign_in(Client(), wang_fang).get("/training/workbench/catalogue/").status_code == 200
        school = sign_in(Client(), sun_li)
        assert klass.title in school.get(f"/training/org/classes/{klass.pk}/").content.decode()
        assert "申请开班" in school.get("/training/org/classes/new/").content.decode()
        bank = sign_in(Client(), huang_lei).get("/training/org/").content.decode()
        assert "不在定点创业培训机构目录内" in bank
        assert sign_in(Client(), huang_lei).get(f"/training/org/classes/{klass.pk}/").status_code == 404
        scan = sign_in(Client(), li_xiaoyu).get("/training/scan/?t=forged")
        assert scan.status_code == 422 and "签到码" in scan.content.decode()


def test_the_institution_withdraws_its_application_and_colleagues_are_told_of_decisions(
    sun_li, qian_jin, klass, wang_fang
):
    from chuangye.accounts.testing import make_user as make
    from chuangye.inbox.models import Message

    colleague = make("sunli2", Role.PARTNER, region_code="510104", org=sun_li.organisation)
    with travel("2026-03-03"):
        school = sign_in(Client(), sun_li)
        assert school.post(f"/training/org/classes/{klass.pk}/", {"action": "withdraw"}).status_code == 302
    klass.refresh_from_db()
    assert klass.case.state == "withdrawn"
    assert Message.objects.filter(recipient=colleague, title__contains="已撤回").exists()
    with travel("2026-03-03"):
        again = sign_in(Client(), sun_li).post(f"/training/org/classes/{klass.pk}/", {"action": "withdraw"})
    assert again.status_code == 409
