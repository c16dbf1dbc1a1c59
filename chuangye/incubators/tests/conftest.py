"""The incubator cast: 马超 runs a government-funded incubation base in 武侯区 (510107) with ten desks; 陈刚 is the
武侯区 officer; 李晓雨 (a certified graduate) and 赵建国 (no key group certified) are founders looking for a desk."""

import pytest

from chuangye.incubators.testing import make_carrier, make_operator


@pytest.fixture
def ma_chao(db):
    return make_operator("machao", "510107", name="马超", org_name="武侯区示例创业孵化基地运营公司")


@pytest.fixture
def base(ma_chao):
    return make_carrier(ma_chao, government_funded=True, desks=10, name="武侯区大学生创业孵化基地")
