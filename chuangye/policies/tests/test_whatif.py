"""What-if: how many gain or lose eligibility, and what it costs, when a parameter changes."""

import datetime as dt

from chuangye.policies.batch import facts_frame
from chuangye.policies.resolver import national_snapshot
from chuangye.policies.whatif import what_if

ON = dt.date(2024, 6, 15)


def test_raising_the_startup_subsidy_and_shortening_the_operating_period():
    people = [
        {
            "key_groups": ["graduate"],
            "graduation_date": "2023-06-30",
            "business_started_on": "2023-09-01",
            "first_business": True,
        },
        {"key_groups": ["returning_migrant"], "business_started_on": "2023-01-01", "first_business": True},
        {
            "key_groups": ["returning_migrant", "employment_difficulty"],
            "business_started_on": "2023-12-01",
            "first_business": True,
        },
        {"key_groups": ["veteran"], "business_started_on": "2020-01-01", "first_business": True},
    ]
    population = facts_frame(people)
    base = national_snapshot(ON).with_value("subsidy.startup_once.amount", "5000")
    changed = base.with_value("subsidy.startup_once.amount", "8000").with_value(
        "subsidy.startup_once.min_operating_months", "6"
    )

    result = what_if(population, "subsidy.startup_once", base, changed, by="key_groups")
    rows = {r["key_groups"]: r for r in result.iter_rows(named=True)}

    assert rows["returning_migrant"]["people"] == 2
    assert rows["returning_migrant"]["eligible_before"] == 1
    assert rows["returning_migrant"]["gained"] == 1  # six months of trading now suffice
    assert rows["returning_migrant"]["cost_change_fen"] == 800_000 * 2 - 500_000
    assert rows["graduate"]["gained"] == 1
    assert rows["veteran"]["eligible_after"] == 0
    assert sum(r["lost"] for r in rows.values()) == 0
