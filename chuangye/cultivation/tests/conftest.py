"""The cultivation cast: the project's people (chuangye/conftest.py) plus 徐涛 of the city's guarantee fund, so
李晓雨 (a certified 2024 graduate in 锦江区) can apply for a loan through 黄磊's bank and attach her preparation."""

import datetime as dt

import pytest
import time_machine

from chuangye.loans.testing import certify, make_guarantor

BEIJING = dt.timezone(dt.timedelta(hours=8))


def at(y, m, d, hour=10):
    return time_machine.travel(dt.datetime(y, m, d, hour, tzinfo=BEIJING), tick=False)


@pytest.fixture
def xu_tao(db):
    return make_guarantor()


@pytest.fixture
def graduate_li(li_xiaoyu):
    certify(li_xiaoyu.person)
    return li_xiaoyu
