"""The cast: a county officer of 锦江区, a provincial officer of 四川省, and two founders' facts."""

import pytest

from chuangye.accounts.models import Role, User


@pytest.fixture
def officer_jj(db):
    return User.objects.create_user("officer_jj", role=Role.OFFICER, region_code="510104", real_name="王芳")


@pytest.fixture
def officer_sc(db):
    return User.objects.create_user("officer_sc", role=Role.OFFICER, region_code="510000", real_name="周静")


@pytest.fixture
def li_xiaoyu():
    """李晓雨: a graduate of 2023 who opened a shop in 锦江区 and wants a loan."""
    return {
        "birth_date": "2001-03-08",
        "sex": "F",
        "key_groups": ["graduate"],
        "graduation_date": "2023-06-30",
        "business_started_on": "2023-09-01",
        "first_business": True,
        "requested_amount": "200000.00",
    }


@pytest.fixture
def zhao_jianguo():
    """赵建国: a returning migrant worker, born 1968, back home since 2022."""
    return {
        "birth_date": "1968-11-02",
        "sex": "M",
        "key_groups": ["returning_migrant"],
        "business_started_on": "2022-04-01",
        "first_business": True,
    }
