"""The fuzzing pass lives outside ``testpaths`` so ``make test`` stays fast; ``make fuzz`` runs it (ADR 0017).

It reuses the suite's cast: the named people of ``chuangye/conftest.py`` and the route-access walk's objects.
"""

from chuangye.accounts.tests.test_route_access import cast
from chuangye.conftest import (
    _fresh_cache_and_outbox,
    chen_gang,
    huang_lei,
    li_xiaoyu,
    wang_fang,
    wu_ting,
    yang_fan,
    zhao_jianguo,
    zhou_jing,
)

__all__ = [
    "_fresh_cache_and_outbox",
    "cast",
    "chen_gang",
    "huang_lei",
    "li_xiaoyu",
    "wang_fang",
    "wu_ting",
    "yang_fan",
    "zhao_jianguo",
    "zhou_jing",
]
