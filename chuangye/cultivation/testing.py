"""Objects for the route-access walk (chuangye/accounts/tests/test_route_access.py).

``ROUTE_PARAMS`` maps each path parameter this app's routes use (one per route) to, for every persona of the walk
(anonymous, li, zhao, wang_fang, chen_gang, yang_fan, zhou_jing, huang_lei, wu_ting), the set of object keys that
persona may see. ``route_objects(users=..., citizens=...)`` creates those objects by the app's real actions and returns
``{param: {key: obj}}``; ``users`` maps persona names to users, ``citizens`` maps "li", "zhao" (锦江区 510104) and
"wei" (武侯区 510107) to citizen users with a Person each. Pages anyone may open without signing in go in
``PUBLIC_WEB`` (the exact route patterns), public API paths in ``PUBLIC_API_PREFIXES``.

Here: each citizen has an assessment and a simulation of their own (seen by them and by their district's, city's
and province's officers; banks see none, as none is attached to a loan of theirs); 锦江区 and 武侯区 each run a
programme whose roster their own officers (and the city's and province's) see; 成都市 runs a competition every
signed-in user may open; 李晓雨's entry in it has a score sheet only its judges (none of the walk's personas) see.
"""

from typing import Any

PUBLIC_WEB: set[str] = {
    "/cultivation/projects/",
    "/cultivation/programmes/",
    "/cultivation/programmes/<int:programme_id>/",
}
PUBLIC_API_PREFIXES: tuple[str, ...] = ()

_FOUNDERS = {
    "anonymous": set(),
    "li": {"li"},
    "zhao": {"zhao"},
    "wang_fang": {"li", "zhao"},
    "chen_gang": {"wei"},
    "yang_fan": {"li", "zhao", "wei"},
    "zhou_jing": {"li", "zhao", "wei"},
    "huang_lei": set(),
    "wu_ting": set(),
}
_ROSTERS: dict[str, set[str]] = {persona: set() for persona in _FOUNDERS} | {
    "wang_fang": {"jj"},
    "chen_gang": {"wh"},
    "yang_fan": {"jj", "wh"},
    "zhou_jing": {"jj", "wh"},
}
ROUTE_PARAMS: dict[str, dict[str, set[str]]] = {
    "assessment_id": _FOUNDERS,
    "simulation_id": _FOUNDERS,
    "programme_id": _ROSTERS,
    "competition_id": {persona: {"city"} if persona != "anonymous" else set() for persona in _FOUNDERS},
    "submission_id": {persona: set() for persona in _FOUNDERS},
}

PROJECT = {
    "project_name": "社区小吃店",
    "industry": "catering",
    "site": "secured",
    "investment": "50000",
    "own_funds": "30000",
    "loan_amount": "20000",
    "loan_term_months": "24",
    "price": "15",
    "monthly_volume": "1500",
    "unit_variable_cost": "7",
    "monthly_fixed_cost": "5000",
    "experience_years": "2",
    "team_size": "2",
}
SCENARIO = {
    "name": "小吃店方案",
    "months": "12",
    "opening_cash": "30000",
    "initial_investment": "20000",
    "price": "15",
    "monthly_volume": "1500",
    "unit_variable_cost": "7",
    "monthly_fixed_cost": "5000",
}


def route_objects(**cast: Any) -> dict[str, dict[str, Any]]:
    from chuangye.cultivation import actions

    users, citizens = cast["users"], cast["citizens"]
    programme = {
        "kind": "camp",
        "target_group": "graduate",
        "capacity": "30",
        "starts_on": "2026-12-01",
        "ends_on": "2026-12-05",
        "description": "创业训练营：商业模式与财务测算",
        "supports": ["training"],
    }
    contest = actions.competition_create(
        actor=users["yang_fan"],
        data={
            "name": "成都市创业大赛",
            "level": "city",
            "organiser": "成都市人社局",
            "year": "2026",
            "stages": "初赛\n决赛",
            "rubric": "综合:100",
        },
    )
    entry = actions.submission_create(
        actor=citizens["li"],
        competition=contest,
        data={"project_name": "青禾茶饮", "summary": "校园周边的新式茶饮与轻食"},
    )
    return {
        "assessment_id": {k: actions.assessment_create(actor=c, data=PROJECT) for k, c in citizens.items()},
        "simulation_id": {k: actions.simulation_save(actor=c, data=SCENARIO) for k, c in citizens.items()},
        "programme_id": {
            "jj": actions.programme_create(actor=users["wang_fang"], data={**programme, "title": "锦江区训练营"}),
            "wh": actions.programme_create(actor=users["chen_gang"], data={**programme, "title": "武侯区训练营"}),
        },
        "competition_id": {"city": contest},
        "submission_id": {"li": entry},
    }
