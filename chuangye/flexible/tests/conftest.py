import datetime as dt

import pytest
import time_machine

from chuangye.accounts.models import Organisation, Role
from chuangye.accounts.testing import make_org, make_user

BEIJING = dt.timezone(dt.timedelta(hours=8))
# Monday 2 November 2026, 10:00 in Beijing: no public holiday within the next month.
MONDAY = dt.datetime(2026, 11, 2, 10, tzinfo=BEIJING)
# 春熙路, 锦江区 and two places 3 km and 12 km from it.
CHUNXI = (30.6570, 104.0810)
NEAR = (30.6840, 104.0810)
FAR = (30.7650, 104.0810)


@pytest.fixture
def monday():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def zhu_hong(db):
    """朱红 of a catering company in 锦江区 (an employer partner)."""
    org = make_org("成都示例餐饮管理有限公司", Organisation.Kind.EMPLOYER, "510104")
    return make_user("zhuhong", Role.PARTNER, region_code="510104", org=org, real_name="朱红")


@pytest.fixture
def hu_bin(db):
    """胡斌 of the 锦江区 legal-aid centre."""
    org = make_org("锦江区法律援助中心", Organisation.Kind.LEGAL_AID, "510104")
    return make_user("hubin", Role.PARTNER, region_code="510104", org=org, real_name="胡斌")


def gig_form(**overrides):
    return {
        "job_type": "kitchen",
        "title": "周末后厨帮工",
        "content": "协助备菜、清洗餐具，提供工作餐",
        "address": "成都市锦江区春熙路8号",
        "latitude": str(NEAR[0]),
        "longitude": str(NEAR[1]),
        "region_code": "510104",
        "work_date": "2026-11-07",
        "start_time": "09:00",
        "end_time": "17:00",
        "pay": "200.00",
        "pay_unit": "day",
        "settlement": "daily",
        "headcount": "2",
        "valid_until": "",
        **overrides,
    }
