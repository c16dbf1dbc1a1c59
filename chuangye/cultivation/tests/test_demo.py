import pytest

from chuangye.cultivation import demo
from chuangye.cultivation.models import Assessment, Competition, Programme, Simulation
from chuangye.demo.accounts import seed_accounts


@pytest.mark.django_db
def test_demo_seed_is_idempotent():
    seed_accounts()
    assert "1 个项目评估" in demo.seed()
    assert Assessment.objects.get().notes.count() == 1 and Simulation.objects.count() == 2
    assert Programme.objects.count() == 2 and Competition.objects.get().judges.count() == 1
    assert "未新增" in demo.seed()
    assert Assessment.objects.count() == 1 and Simulation.objects.count() == 2 and Competition.objects.count() == 1
