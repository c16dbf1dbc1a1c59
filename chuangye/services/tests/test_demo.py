"""The demo seed runs through the real actions and is idempotent."""

import pytest

from chuangye.demo.accounts import seed_accounts
from chuangye.services import demo
from chuangye.services.models import Article, Assignment, FaqEntry, Mentor, Opening

pytestmark = pytest.mark.django_db


def test_seed_creates_the_demo_once():
    seed_accounts()
    first = demo.seed()
    assert first.startswith("创业服务：导师1名、导师对接1项")
    counts = (
        Mentor.objects.count(),
        Assignment.objects.count(),
        Article.objects.count(),
        FaqEntry.objects.count(),
        Opening.objects.count(),
    )
    assert counts == (1, 1, 3, 1, 1)
    assert demo.seed() == "创业服务：示例数据已存在"
    assert Article.objects.filter(state="published").count() == 3
