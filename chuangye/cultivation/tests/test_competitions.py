"""Competitions: judging arithmetic (pure, and through the actions), conflict-of-interest exclusion, stages,
and an award at city level or above becoming the honour the counter-guarantee waiver reads."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from chuangye.accounts.models import Organisation, Role
from chuangye.accounts.testing import make_org, make_user, sign_in
from chuangye.core.errors import ConflictError, FieldValueError
from chuangye.cultivation import actions, judging
from chuangye.cultivation.models import Honour, Submission
from chuangye.cultivation.selectors import stage_ranking
from chuangye.loans.testing import certify
from chuangye.policies.decide import decide
from chuangye.registry.facts import person_facts

D = Decimal


def test_mean_of_judges_and_trimmed_mean_from_five():
    assert judging.entry_score([D("80"), D("90")]) == D("85.00")
    assert judging.entry_score([D("70"), D("80"), D("81")]) == D("77.00")
    # Five judges: drop 60 and 99, mean of 80, 82, 85 = 82.333… → 82.33
    assert judging.entry_score([D("99"), D("80"), D("60"), D("82"), D("85")]) == D("82.33")
    assert judging.entry_score([D("80.5"), D("80")]) == D("80.25")
    assert judging.entry_score([D("1"), D("0"), D("0")]) == D("0.33")


def test_ties_share_a_rank_and_the_next_rank_is_skipped():
    ranked = judging.rank({1: D("80"), 2: D("90"), 3: D("80"), 4: D("70")})
    assert [(r.entry_id, r.rank) for r in ranked] == [(2, 1), (1, 2), (3, 2), (4, 4)]


def test_a_judge_total_needs_every_criterion_within_its_maximum():
    assert judging.judge_total({1: D("25"), 2: D("30.5")}, {1: D("30"), 2: D("40")}) == D("55.5")
    with pytest.raises(ValueError):
        judging.judge_total({1: D("31")}, {1: D("30")})
    with pytest.raises(ValueError):
        judging.judge_total({1: D("3")}, {1: D("30"), 2: D("40")})


def test_conflict_only_for_the_same_organisation():
    assert judging.conflicted(7, 7) and not judging.conflicted(7, 8)
    assert not judging.conflicted(None, None) and not judging.conflicted(7, None)


@given(st.lists(st.decimals(min_value=0, max_value=100, places=1), min_size=1, max_size=12))
def test_the_entry_score_lies_between_the_lowest_and_highest_totals(totals):
    score = judging.entry_score(totals)
    assert min(totals) - D("0.005") <= score <= max(totals) + D("0.005")


@given(st.dictionaries(st.integers(1, 50), st.decimals(min_value=0, max_value=100, places=2), min_size=1))
def test_ranks_follow_scores(scores):
    ranked = judging.rank(scores)
    assert [r.entry_id for r in ranked] == sorted(scores, key=lambda k: (-scores[k], k))
    assert ranked[0].rank == 1
    for before, after in itertools.pairwise(ranked):
        assert after.rank == before.rank if after.score == before.score else after.rank == ranked.index(after) + 1


@pytest.fixture
def city_contest(yang_fan):
    """成都市's “创客中国” city round: two stages and a 100-point rubric, run by 杨帆 (city officer)."""
    return actions.competition_create(
        actor=yang_fan,
        data={
            "name": "“创客中国”成都赛区",
            "level": "city",
            "organiser": "成都市人力资源和社会保障局",
            "year": "2026",
            "stages": "初赛\n决赛",
            "rubric": "创新性:40\n商业可行性:60",
        },
    )


def _judges(contest, officer, school):
    other = make_org("成都创业导师协会", Organisation.Kind.TRAINING, "510100")
    judges = [
        make_user(f"judge{i}", Role.MENTOR, region_code="510100", org=other, real_name=f"评委{i}") for i in range(3)
    ]
    insider = make_user("judge_school", Role.MENTOR, region_code="510100", org=school, real_name="校内评委")
    for j in [*judges, insider]:
        actions.judge_add(actor=officer, competition=contest, username=j.username)
    return judges, insider


def _score(judge, entry, innovation, viability):
    c = list(entry.competition.criteria.all())
    return actions.scores_record(
        actor=judge, submission=entry, values={f"criterion_{c[0].pk}": innovation, f"criterion_{c[1].pk}": viability}
    )


def test_judging_through_the_actions_with_conflict_exclusion(city_contest, yang_fan, li_xiaoyu, zhao_jianguo):
    school = make_org("四川示范大学", Organisation.Kind.TRAINING, "510104")
    judges, insider = _judges(city_contest, yang_fan, school)
    li_entry = actions.submission_create(
        actor=li_xiaoyu,
        competition=city_contest,
        data={"project_name": "青禾茶饮", "summary": "校园周边的新式茶饮与轻食", "organisation": school.pk},
    )
    zhao_entry = actions.submission_create(
        actor=zhao_jianguo,
        competition=city_contest,
        data={"project_name": "返乡农产品直播", "summary": "家乡猕猴桃的直播销售与冷链配送"},
    )
    # The judge from 李晓雨's own school must stand aside from her entry, but judges 赵建国's.
    with pytest.raises(ConflictError):
        _score(insider, li_entry, "40", "60")
    with pytest.raises(FieldValueError):
        _score(judges[0], li_entry, "41", "50")  # above the criterion's 40 points
    assert _score(judges[0], li_entry, "30", "50") == D("80.0")
    ranking = stage_ranking(city_contest, li_entry.stage)
    assert ranking.rows == [] and len(ranking.unscored) == 2  # not every eligible judge has scored yet
    _score(judges[1], li_entry, "35", "55.5")  # 90.5
    _score(judges[2], li_entry, "20", "50")  # 70
    for judge, (a, b) in zip([*judges, insider], [("30", "40"), ("30", "45"), ("25", "45"), ("38", "60")], strict=True):
        _score(judge, zhao_entry, a, b)  # 70, 75, 70, 98: four judges, no trimming
    ranking = stage_ranking(city_contest, li_entry.stage)
    # 李晓雨: (80 + 90.5 + 70) / 3 = 80.166… → 80.17 from three judges (her school's judge stood aside);
    # 赵建国: (70 + 75 + 70 + 98) / 4 = 78.25 from four.
    assert [(r.submission.project_name, r.score, r.rank, r.judges) for r in ranking.rows] == [
        ("青禾茶饮", D("80.17"), 1, 3),
        ("返乡农产品直播", D("78.25"), 2, 4),
    ]
    assert ranking.rows[0].submission == li_entry and ranking.rows[0].score == D("80.17")  # (80 + 90.5 + 70) / 3
    # The best one goes on to the final; 赵建国's entry stays in the first round.
    winners = actions.stage_advance(actor=yang_fan, competition=city_contest, top="1")
    assert winners == [li_entry]
    assert Submission.objects.get(pk=li_entry.pk).stage.name == "决赛"
    assert Submission.objects.get(pk=zhao_entry.pk).stage.name == "初赛"


def test_only_the_region_running_the_contest_manages_it(city_contest, chen_gang, wang_fang):
    # 陈刚 (武侯区) and 王芳 (锦江区) are inside 成都市 but do not run the city's contest.
    with pytest.raises(PermissionDenied):
        actions.judge_add(actor=chen_gang, competition=city_contest, username="nobody")
    with pytest.raises(PermissionDenied):
        actions.stage_advance(actor=wang_fang, competition=city_contest, top="1")


def test_a_city_award_is_an_honour_that_waives_the_counter_guarantee(city_contest, yang_fan, li_xiaoyu):
    certify(li_xiaoyu.person)
    on = dt.date(2026, 11, 20)
    # 300,000 asked for: above the 100,000 that is waived anyway, so only a recognition can waive it.
    facts = person_facts(li_xiaoyu.person, on) | {"requested_amount": "300000.00"}
    before = decide("loan.counter_guarantee_waiver", facts, on=on, region_code="510104")
    assert not before.eligible
    entry = actions.submission_create(
        actor=li_xiaoyu,
        competition=city_contest,
        data={"project_name": "青禾茶饮", "summary": "校园周边的新式茶饮与轻食"},
    )
    actions.award_grant(actor=yang_fan, submission=entry, title="一等奖", awarded_on="2026-11-18")
    honour = Honour.objects.get(person=li_xiaoyu.person)
    assert honour.level == "city" and "一等奖" in honour.title
    facts = person_facts(li_xiaoyu.person, on) | {"requested_amount": "300000.00"}
    assert facts["honour_city_level"] is True
    after = decide("loan.counter_guarantee_waiver", facts, on=on, region_code="510104")
    assert after.eligible
    # Not before the award date.
    assert "honour_city_level" not in person_facts(li_xiaoyu.person, dt.date(2026, 11, 17))


def test_a_county_award_is_not_a_city_level_honour(wang_fang, li_xiaoyu):
    contest = actions.competition_create(
        actor=wang_fang,
        data={
            "name": "锦江区创业大赛",
            "level": "county",
            "organiser": "锦江区人社局",
            "year": "2026",
            "stages": "决赛",
            "rubric": "综合:100",
        },
    )
    entry = actions.submission_create(
        actor=li_xiaoyu, competition=contest, data={"project_name": "青禾茶饮", "summary": "校园周边的新式茶饮与轻食"}
    )
    actions.award_grant(actor=wang_fang, submission=entry, title="二等奖", awarded_on="2026-11-18")
    assert not Honour.objects.exists()
    assert "honour_city_level" not in person_facts(li_xiaoyu.person, dt.date(2026, 11, 20))


def test_the_competition_pages(city_contest, yang_fan, li_xiaoyu, chen_gang):
    li = sign_in(Client(), li_xiaoyu)
    page = li.get(f"/cultivation/competitions/{city_contest.pk}/").content.decode()
    assert "报名参赛" in page and "去掉一个最高分和一个最低分" in page
    response = li.post(
        f"/cultivation/competitions/{city_contest.pk}/",
        {"action": "enter", "project_name": "青禾茶饮", "summary": "校园周边的新式茶饮与轻食"},
    )
    assert response.status_code == 302 and Submission.objects.filter(person=li_xiaoyu.person).exists()
    # The organiser sees the ranking section; another district's officer sees no management and cannot act.
    assert (
        "初赛排名" in sign_in(Client(), yang_fan).get(f"/cultivation/competitions/{city_contest.pk}/").content.decode()
    )
    chen = sign_in(Client(), chen_gang)
    assert "初赛排名" not in chen.get(f"/cultivation/competitions/{city_contest.pk}/").content.decode()
    refused = chen.post(f"/cultivation/competitions/{city_contest.pk}/", {"action": "judge", "username": "x"})
    assert refused.status_code == 422


def test_a_loan_application_counts_the_recorded_honour_without_a_declaration(city_contest, yang_fan, li_xiaoyu):
    from chuangye.loans.facts import application_facts, clean_declarations

    certify(li_xiaoyu.person)
    on = dt.date(2026, 11, 20)
    declared_nothing = clean_declarations({}, enterprise=False)
    before = application_facts(
        kind="individual",
        person=li_xiaoyu.person,
        business=None,
        requested_amount="300000.00",
        declarations=declared_nothing,
        on=on,
    )
    assert before["honour_city_level"] is False
    entry = actions.submission_create(
        actor=li_xiaoyu,
        competition=city_contest,
        data={"project_name": "青禾茶饮", "summary": "校园周边的新式茶饮与轻食"},
    )
    actions.award_grant(actor=yang_fan, submission=entry, title="一等奖", awarded_on="2026-11-18")
    after = application_facts(
        kind="individual",
        person=li_xiaoyu.person,
        business=None,
        requested_amount="300000.00",
        declarations=declared_nothing,
        on=on,
    )
    assert after["honour_city_level"] is True
    assert decide("loan.counter_guarantee_waiver", after, on=on, region_code="510104").eligible
