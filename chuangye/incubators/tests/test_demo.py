import pytest
from django.utils import timezone

from chuangye.accounts.models import Role
from chuangye.accounts.testing import make_citizen, make_user
from chuangye.incubators import demo
from chuangye.incubators.models import Carrier, Space
from chuangye.incubators.testing import make_operator
from chuangye.registry.selectors import active_key_groups


@pytest.mark.django_db
def test_demo_seed_is_idempotent():
    make_operator("incubator", "510107")
    li = make_citizen("grad_li", "李晓雨", phone="13800000001", region_code="510104", birth="2002-05-14", sex="F")
    make_user("officer_jj", Role.OFFICER, region_code="510104", real_name="王芳")
    first = demo.seed()
    assert "新增载体 2 个" in first
    assert Space.objects.count() == 27 and Carrier.objects.filter(government_funded=True).count() == 1
    assert active_key_groups(li.person, timezone.localdate()) == {"graduate"}
    assert "未新增" in demo.seed()
    assert Carrier.objects.count() == 2
    assert li.person.key_groups.count() == 1
