"""The cast of the tests (STYLE.md: named people, not anonymous fixtures).

李晓雨 is a 2024 graduate founder and 赵建国 a returning migrant worker, both living in 锦江区 (510104); 王芳 is a
锦江区 officer and 陈刚 the officer of the neighbouring 武侯区 (510107); 杨帆 works for 成都市 (510100) and 周静 for
四川省 (510000); 黄磊 is at a bank in 锦江区 and 吴婷 at a bank in 武侯区.
"""

import pytest
from django.core.cache import cache

from chuangye.accounts import sms
from chuangye.accounts.models import Organisation, Role
from chuangye.accounts.testing import make_citizen, make_org, make_user


@pytest.fixture(autouse=True)
def _fresh_cache_and_outbox():
    cache.clear()  # rate-limit counters must not leak between tests
    sms.outbox.clear()
    yield


@pytest.fixture
def li_xiaoyu(db):
    return make_citizen("li", "李晓雨", phone="13800000001", region_code="510104", birth="2002-05-14", sex="F")


@pytest.fixture
def zhao_jianguo(db):
    return make_citizen("zhao", "赵建国", phone="13800000002", region_code="510104", birth="1983-09-02", sex="M")


@pytest.fixture
def wang_fang(db):
    return make_user("wangfang", Role.OFFICER, region_code="510104", real_name="王芳")


@pytest.fixture
def chen_gang(db):
    return make_user("chengang", Role.OFFICER, region_code="510107", real_name="陈刚")


@pytest.fixture
def yang_fan(db):
    return make_user("yangfan", Role.OFFICER, region_code="510100", real_name="杨帆")


@pytest.fixture
def zhou_jing(db):
    return make_user("zhoujing", Role.OFFICER, region_code="510000", real_name="周静")


@pytest.fixture
def huang_lei(db):
    bank = make_org("示例农村商业银行锦江支行", Organisation.Kind.BANK, "510104")
    return make_user("huanglei", Role.PARTNER, region_code="510104", org=bank, real_name="黄磊")


@pytest.fixture
def wu_ting(db):
    bank = make_org("示例城市商业银行武侯支行", Organisation.Kind.BANK, "510107")
    return make_user("wuting", Role.PARTNER, region_code="510107", org=bank, real_name="吴婷")
