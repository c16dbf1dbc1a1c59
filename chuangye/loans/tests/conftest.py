"""The loans cast: the project's people (conftest in chuangye/) plus 徐涛 of the city's guarantee fund.

李晓雨 (graduate, 锦江区) borrows through 黄磊's bank in 锦江区; 王芳 qualifies her at the bureau; 徐涛 guarantees;
杨帆 (city) pays money into the fund; 吴婷's bank in 武侯区 is the bank that must not see her loan.
"""

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
    """李晓雨 with her graduate status certified, as the policy engine needs."""
    certify(li_xiaoyu.person)
    return li_xiaoyu
