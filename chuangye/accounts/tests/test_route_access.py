"""Every web route and every API operation, discovered from the URL resolver and the OpenAPI document, walked
with every persona (QUALITY.md, access control). A new route is covered automatically; a route with a path
parameter this table does not know fails the test until someone says what object it names and who may see it.
"""

import datetime as dt
import importlib
import json
import re
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from chuangye.accounts.access import PUBLIC
from chuangye.accounts.actions import api_token_issue
from chuangye.accounts.testing import make_user, sign_in
from chuangye.core.ids import build_credit_code, encode_org_body, generate_resident_id
from chuangye.core.models import Attachment
from chuangye.registry.actions import change_request_submit, key_group_declare
from chuangye.registry.models import Business, Founder, ImportJob, Person

pytestmark = pytest.mark.django_db

# The explicit allow-list of public pages. A view declared @public that is not here fails the test.
PUBLIC_WEB = {
    "/",
    "/healthz",
    "/login/",
    "/login/otp/",
    "/logout/",
    "/account/signup/",
    "/account/password/reset/",
    "/verify/licence/",
    "/verify/licence/<str:code>/",
}
PUBLIC_API_PREFIXES = (
    "/api/v1/regions",
    "/api/v1/workdays",
    "/api/v1/policies",
    "/api/v1/openapi.json",
    "/api/v1/docs",
)

PERSONAS = ["anonymous", "li", "zhao", "wang_fang", "chen_gang", "yang_fan", "zhou_jing", "huang_lei", "wu_ting"]
# Which person each persona may see: objects are li's and zhao's records (锦江区) and wei's (武侯区).
PERSON_VISIBILITY = {
    "anonymous": set(),
    "li": {"li"},
    "zhao": {"zhao"},
    "wang_fang": {"li", "zhao"},  # 锦江区 officer
    "chen_gang": {"wei"},  # 武侯区 officer: not the neighbouring county
    "yang_fan": {"li", "zhao", "wei"},  # 成都市 sees both districts
    "zhou_jing": {"li", "zhao", "wei"},  # 四川省 sees its counties
    "huang_lei": set(),  # banks see applicants only through their cases
    "wu_ting": set(),
}
LOAN_VISIBILITY = {
    "anonymous": set(),
    "li": {"li"},
    "zhao": set(),
    "wang_fang": {"li"},
    "chen_gang": {"wei"},
    "yang_fan": {"li", "wei"},
    "zhou_jing": {"li", "wei"},
    "huang_lei": {"li"},
    "wu_ting": {"wei"},
}
TOKEN_VISIBILITY = {persona: set() for persona in PERSONAS} | {"huang_lei": {"jj_bank"}, "wu_ting": {"wh_bank"}}
# Path parameter name → the kind of object it names and who may see which. Statuses, change requests and evidence
# follow the person they belong to.
OBJECT_PARAMS = {
    "person_id": PERSON_VISIBILITY,
    "token_id": TOKEN_VISIBILITY,
    "status_id": PERSON_VISIBILITY,
    "change_id": PERSON_VISIBILITY,
    "attachment_id": PERSON_VISIBILITY,
    "business_id": PERSON_VISIBILITY,  # each person founded one business in their own district
    "case_id": PERSON_VISIBILITY,  # each person applied to register a business in their own district
    # An import job uploaded by 王芳 in 锦江区: seen by her county, her city and her province only.
    "job_id": {persona: set() for persona in PERSONAS}
    | {"wang_fang": {"jj_import"}, "yang_fan": {"jj_import"}, "zhou_jing": {"jj_import"}},
    # Loans: li borrows through 黄磊's bank in 锦江区, wei through 吴婷's bank in 武侯区. The borrower, the district's
    # officers (and the city's and province's) and the loan's own bank see each; nobody else does.
    "application_id": LOAN_VISIBILITY,
    "loan_id": LOAN_VISIBILITY,
    # Subsidy claims are the bank's and its district's; payment batches are the bureau's alone.
    "claim_id": LOAN_VISIBILITY | {"li": set()},
    "batch_id": LOAN_VISIBILITY | {"li": set(), "huang_lei": set(), "wu_ting": set()},
}

# Apps that keep their part of this walk in their own ``testing.py``: PUBLIC_WEB, PUBLIC_API_PREFIXES, ROUTE_PARAMS and
# route_objects(users=..., citizens=...) (see chuangye/training/testing.py for the contract).
ROUTE_APPS = ["training", "cultivation", "services", "incubators", "flexible", "reporting", "jobs"]
for _app in ROUTE_APPS:
    _module = importlib.import_module(f"chuangye.{_app}.testing")
    PUBLIC_WEB |= _module.PUBLIC_WEB
    PUBLIC_API_PREFIXES += _module.PUBLIC_API_PREFIXES
    for _name, _visibility in _module.ROUTE_PARAMS.items():
        assert _name not in OBJECT_PARAMS, f"{_app}: path parameter <{_name}> is already used by another app"
        assert set(_visibility) == set(PERSONAS), f"{_app}: <{_name}> must say what every persona sees"
        OBJECT_PARAMS[_name] = _visibility


@dataclass
class Route:
    pattern: str  # e.g. "/workbench/people/<int:person_id>/"
    callback: object
    namespaces: tuple[str, ...]


def _walk(patterns, prefix="", namespaces=()):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield Route("/" + prefix + str(entry.pattern), entry.callback, namespaces)


def web_routes() -> list[Route]:
    """Every Django URL pattern except the API (walked from OpenAPI below) and the admin site (its own test)."""
    return [r for r in _walk(get_resolver().url_patterns) if not {"api", "admin"} & set(r.namespaces)]


PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


@pytest.fixture
def cast(li_xiaoyu, zhao_jianguo, wang_fang, chen_gang, yang_fan, zhou_jing, huang_lei, wu_ting):
    wei = make_user("wei", "citizen", real_name="魏宁")
    person = Person(name="魏宁", sex="M", birth_date="1990-01-01", hukou_region_code="510107", region_code="510107")
    person.set_id_number(generate_resident_id("510107", dt.date(1990, 1, 1), "M", 9))
    person.user = wei
    person.save()
    users = {
        "li": li_xiaoyu,
        "zhao": zhao_jianguo,
        "wang_fang": wang_fang,
        "chen_gang": chen_gang,
        "yang_fan": yang_fan,
        "zhou_jing": zhou_jing,
        "huang_lei": huang_lei,
        "wu_ting": wu_ting,
    }
    people = {"li": li_xiaoyu.person, "zhao": zhao_jianguo.person, "wei": person}
    citizens = {"li": li_xiaoyu, "zhao": zhao_jianguo, "wei": wei}
    statuses = {
        key: key_group_declare(actor=citizens[key], person=p, category_code="graduate", evidence=[_pdf()])
        for key, p in people.items()
    }
    objects = {
        "person_id": people,
        "status_id": statuses,
        "change_id": {
            key: change_request_submit(
                actor=citizens[key], person=p, changes={"name": p.name + "新"}, reason="更正姓名用字"
            )
            for key, p in people.items()
        },
        "business_id": {key: _business(p, n) for n, (key, p) in enumerate(people.items(), start=1)},
        # Approved on the spot by their district's officer, so each has a licence to download.
        "case_id": {key: _case(citizens[key], chen_gang if key == "wei" else wang_fang) for key in people},
        "attachment_id": {
            key: Attachment.objects.get(object_type="key_group_status", object_id=str(s.pk))
            for key, s in statuses.items()
        },
        "token_id": {
            "jj_bank": api_token_issue(actor=None, user=huang_lei, name="锦江", scopes=[])[0],
            "wh_bank": api_token_issue(actor=None, user=wu_ting, name="武侯", scopes=[])[0],
        },
        "job_id": {
            "jj_import": ImportJob.objects.create(
                created_by=wang_fang, region_code="510104", file_name="名单.xlsx", sha256="0" * 64
            )
        },
    }
    from chuangye.loans.testing import route_objects

    objects |= route_objects(
        li=li_xiaoyu,
        wei=wei,
        officers={"li": wang_fang, "wei": chen_gang},
        banks={"li": huang_lei, "wei": wu_ting},
    )
    for app in ROUTE_APPS:
        objects |= importlib.import_module(f"chuangye.{app}.testing").route_objects(users=users, citizens=citizens)
    return users, objects


def _business(person, n):
    code = build_credit_code("9", "2", person.region_code, encode_org_body(n, prefix="RT"))
    business = Business.objects.create(
        credit_code=code,
        name=f"{person.name}小吃店",
        kind="individual",
        legal_representative=person,
        registered_on=dt.date(2025, 3, 1),
        region_code=person.region_code,
        industry="H",
        headcount=2,
    )
    Founder.objects.create(business=business, person=person, role="operator")
    return business


def _case(citizen, officer):
    from chuangye.cases.actions import case_transition
    from chuangye.registration.actions import registration_establish_submit

    case = registration_establish_submit(
        applicant=citizen,
        data={
            "kind": "individual",
            "name": f"{citizen.person.name}工作室",
            "address": "某街1号",
            "region_code": citizen.person.region_code,
            "business_scope": "设计服务",
            "industry": "R",
        },
        founders=[{"name": citizen.person.name, "id_number": citizen.person.id_number}],
    )
    return case_transition(case=case, action="approve_on_spot", actor=officer)


def _pdf():
    return SimpleUploadedFile("毕业证.pdf", b"%PDF-1.4 test evidence", content_type="application/pdf")


def client_for(persona, users):
    return Client() if persona == "anonymous" else sign_in(Client(), users[persona])


def test_public_views_are_exactly_the_allow_list():
    declared_public = {r.pattern for r in web_routes() if getattr(r.callback, "access_policy", None) == PUBLIC}
    assert declared_public == PUBLIC_WEB


def test_every_web_view_declares_who_may_use_it():
    undeclared = [r.pattern for r in web_routes() if getattr(r.callback, "access_policy", None) is None]
    assert undeclared == []


def test_web_routes_without_objects(cast):
    users, _ = cast
    for route in web_routes():
        if PARAM.search(route.pattern) or route.pattern in PUBLIC_WEB:
            continue
        policy = route.callback.access_policy
        response = Client().get(route.pattern)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), route.pattern
        for persona in PERSONAS[1:]:
            status = client_for(persona, users).get(route.pattern).status_code
            allowed = policy == "signed_in" or users[persona].role in policy
            # 405: a POST-only route answered a GET, after the access check let the persona through.
            assert status in ((200, 405) if allowed else (403,)), (route.pattern, persona, status)


def test_web_routes_with_objects_answer_404_out_of_scope(cast):
    users, objects = cast
    for route in web_routes():
        params = PARAM.findall(route.pattern)
        if not params or route.pattern in PUBLIC_WEB:
            continue
        assert len(params) == 1, f"{route.pattern}: add multi-object routes to this test"
        name = params[0][1]
        assert name in OBJECT_PARAMS, f"{route.pattern}: say in OBJECT_PARAMS what <{name}> names and who sees it"
        method = "post" if route.pattern.endswith(("/reveal/", "/revoke/")) else "get"
        # Object pages that also take a POST (decisions) are walked with GET here; their writes are tested below.
        for key, obj in objects[name].items():
            url = PARAM.sub(str(obj.pk), route.pattern)
            assert getattr(Client(), method)(url).status_code == 302, url
            for persona in PERSONAS[1:]:
                policy = route.callback.access_policy
                response = getattr(client_for(persona, users), method)(
                    url, {"field": "phone", "reason": "核对材料信息"}
                )
                if policy != "signed_in" and users[persona].role not in policy:
                    expected = 403
                else:
                    expected = (
                        (302 if method == "post" and name == "token_id" else 200)
                        if key in OBJECT_PARAMS[name][persona]
                        else 404
                    )
                assert response.status_code == expected, (url, persona, response.status_code)


def api_operations(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_api_operations_need_authentication_unless_on_the_allow_list(cast, client):
    for path, method, operation in api_operations(client):
        public = not operation.get("security")
        assert public == path.startswith(PUBLIC_API_PREFIXES), f"{method.upper()} {path}: public={public}"


def test_api_object_operations_answer_404_out_of_scope(cast, client):
    users, objects = cast
    seen = 0
    for path, method, operation in api_operations(client):
        names = re.findall(r"{(\w+)}", path)
        if not names or not operation.get("security"):
            continue
        assert len(names) == 1 and names[0] in OBJECT_PARAMS, f"{path}: add {names} to OBJECT_PARAMS"
        for key, obj in objects[names[0]].items():
            url = path.replace("{" + names[0] + "}", str(obj.pk))
            # One body that passes validation for every operation, so the scope check is what answers.
            body = {
                "field": "phone",
                "reason": "核对材料信息",
                "certify": True,
                "approve": True,
                "note": "越权尝试",
                "action": "accept",
                "version": 0,
            }
            anonymous = Client().generic(method.upper(), url, data="{}", content_type="application/json")
            assert anonymous.status_code == 401, url
            for persona in PERSONAS[1:]:
                c = client_for(persona, users)

                response = c.generic(method.upper(), url, data=json.dumps(body), content_type="application/json")
                visible = key in OBJECT_PARAMS[names[0]][persona]
                if not visible:
                    assert response.status_code == 404, (method, url, persona, response.status_code)
                    assert response.json()["code"] == "not_found"
                else:
                    # Visible: allowed, refused by role, or refused by the workflow (already decided), never 404.
                    assert response.status_code in (200, 201, 403, 409, 422), (
                        method,
                        url,
                        persona,
                        response.status_code,
                    )
                seen += 1
    assert seen > 0


def test_scoped_lists_show_only_what_each_persona_may_see(cast):
    users, objects = cast
    names = {obj.pk: key for key, obj in objects["person_id"].items()}
    for persona in PERSONAS[1:]:
        response = client_for(persona, users).get("/api/v1/people")
        assert response.status_code == 200
        seen = {names[item["id"]] for item in response.json()["items"] if item["id"] in names}
        assert seen == PERSON_VISIBILITY[persona], persona
        assert all("*" in item["id_number"] for item in response.json()["items"])


def test_web_writes_to_out_of_scope_objects_answer_404_and_change_nothing(cast):
    from chuangye.core.models import AuditEvent

    users, objects = cast
    for route in web_routes():
        params = PARAM.findall(route.pattern)
        if not params or route.pattern in PUBLIC_WEB:
            continue
        name = params[0][1]
        for key, obj in objects[name].items():
            url = PARAM.sub(str(obj.pk), route.pattern)
            for persona in PERSONAS[1:]:
                policy = route.callback.access_policy
                if key in OBJECT_PARAMS[name][persona] or (policy != "signed_in" and users[persona].role not in policy):
                    continue
                before = AuditEvent.objects.count()
                response = client_for(persona, users).post(
                    url, {"action": "certify", "note": "越权尝试", "field": "phone"}
                )
                assert response.status_code == 404, (url, persona, response.status_code)
                assert AuditEvent.objects.count() == before, (url, persona)
