"""The training cast: 孙丽 of a listed 锦江区 training school, its trainer 钱进, and an SYB class of 16–20 March 2026
(applied 2 March). 成都市 (510100) sets the SYB standard at 1,000 元 and pays 50% to trainees who have not
started a business within 6 months of completion."""

import datetime as dt

import pytest
import time_machine

from chuangye.core.ids import build_credit_code, encode_org_body
from chuangye.registry.models import Business, Founder
from chuangye.training.testing import apply_class, at, make_institution, make_trainer, set_amount


def travel(day: str, time: str = "10:00") -> time_machine.travel:
    return time_machine.travel(at(day, time), tick=False)


@pytest.fixture
def sun_li(wang_fang):
    with travel("2026-01-05"):
        return make_institution(officer=wang_fang)


@pytest.fixture
def qian_jin(sun_li, wang_fang):
    with travel("2026-01-05"):
        return make_trainer(sun_li, wang_fang)


@pytest.fixture
def chengdu_rules(yang_fan):
    set_amount(
        yang_fan,
        "SYB",
        "1000.00",
        **{"subsidy.training.startup_window_months": "6", "subsidy.training.no_startup_share": "50%"},
    )


@pytest.fixture
def klass(sun_li, qian_jin):
    with travel("2026-03-02"):
        return apply_class(sun_li, qian_jin)


_counter = iter(range(1, 10**6))


def found_business(person, registered_on: dt.date) -> Business:
    code = build_credit_code("9", "2", person.region_code, encode_org_body(next(_counter), prefix="PX"))
    business = Business.objects.create(
        credit_code=code,
        name=f"{person.name}创业工作室",
        kind="individual",
        legal_representative=person,
        registered_on=registered_on,
        region_code=person.region_code,
        industry="R",
        headcount=1,
    )
    Founder.objects.create(business=business, person=person, role="operator")
    return business
