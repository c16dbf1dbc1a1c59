"""The LPR history since the 2019 reform (DOMAIN.md §11): one row for each day a term's rate changed.

The document named is the same as in ``policies/parameters/lpr.yaml``, so decisions read the same trace whichever
series a rate came from. Reversible: removes exactly these rows.
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations

PUBLISHER = "全国银行间同业拆借中心 贷款市场报价利率（LPR）公告"
# (from, 1-year %, 5-year %) as published; a term's row is stored only when its rate changed.
HISTORY = [
    ("2019-08-20", "4.25", "4.85"),
    ("2019-09-20", "4.20", "4.85"),
    ("2019-11-20", "4.15", "4.80"),
    ("2020-02-20", "4.05", "4.75"),
    ("2020-04-20", "3.85", "4.65"),
    ("2021-12-20", "3.80", "4.65"),
    ("2022-01-20", "3.70", "4.60"),
    ("2022-05-20", "3.70", "4.45"),
    ("2022-08-22", "3.65", "4.30"),
    ("2023-06-20", "3.55", "4.20"),
    ("2023-08-21", "3.45", "4.20"),
    ("2024-02-20", "3.45", "3.95"),
    ("2024-07-22", "3.35", "3.85"),
    ("2024-10-21", "3.10", "3.60"),
    ("2025-05-20", "3.00", "3.50"),
]


def changes():
    previous = {"1y": None, "5y": None}
    for day, one, five in HISTORY:
        for term, percent in (("1y", one), ("5y", five)):
            if percent != previous[term]:
                yield dt.date.fromisoformat(day), term, Decimal(percent) / 100
                previous[term] = percent


def seed(apps, schema_editor):
    LprRate = apps.get_model("finance", "LprRate")
    LprRate.objects.bulk_create(
        LprRate(effective_from=day, term=term, rate=rate, source=PUBLISHER) for day, term, rate in changes()
    )


def unseed(apps, schema_editor):
    LprRate = apps.get_model("finance", "LprRate")
    for day, term, _ in changes():
        LprRate.objects.filter(effective_from=day, term=term, source=PUBLISHER, created_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
