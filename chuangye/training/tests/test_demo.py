import datetime as dt

import pytest

from chuangye.accounts.models import Organisation, Role
from chuangye.accounts.testing import make_org, make_user
from chuangye.core.ids import generate_resident_id
from chuangye.registry.models import Person
from chuangye.training import demo
from chuangye.training.models import Competition, Enrolment, TrainingClass


@pytest.mark.django_db
def test_demo_seed_is_idempotent():
    org = make_org("锦江区示例职业培训学校", Organisation.Kind.TRAINING, "510104")
    make_user("trainer_org", Role.PARTNER, region_code="510104", org=org, real_name="孙丽")
    make_user("officer_jj", Role.OFFICER, region_code="510104", real_name="王芳")
    make_user("officer_cd", Role.OFFICER, region_code="510100", real_name="杨帆")
    make_user("supervisor_jj", Role.SUPERVISOR, region_code="510104", real_name="刘敏")
    make_user("mentor_guo", Role.MENTOR, region_code="510100", real_name="郭明")
    for n, name in enumerate(["张伟", "王静", "刘洋"], start=1):
        person = Person(
            name=name, sex="M", birth_date=dt.date(1990, 1, n), hukou_region_code="510104", region_code="510104"
        )
        person.set_id_number(generate_resident_id("510104", dt.date(1990, 1, n), "M", n))
        person.save()
    first = demo.seed()
    assert "3人已报名" in first
    assert TrainingClass.objects.count() == 2 and Enrolment.objects.count() == 3
    assert Competition.objects.get().state == Competition.State.PUBLISHED
    assert "未新增" in demo.seed()
    assert TrainingClass.objects.count() == 2 and Competition.objects.count() == 1
