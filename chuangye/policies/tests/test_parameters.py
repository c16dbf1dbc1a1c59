"""Parameters: the shipped YAML, the resolution rule (most specific region, then latest start) and replay."""

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from chuangye.core.errors import FieldValueError
from chuangye.core.models import AuditEvent
from chuangye.policies.actions import parameter_override_create
from chuangye.policies.catalogue import CATALOGUE
from chuangye.policies.params import Entry, merge, national_parameters, parameter_spec
from chuangye.policies.rates import lpr_1y_on, register_lpr_source, unregister_lpr_source
from chuangye.policies.resolver import national_snapshot, region_chain, snapshot_for

CEILING = "loan.individual.ceiling"


def test_every_parameter_a_policy_reads_is_declared_with_a_source():
    declared = national_parameters()
    for policy in CATALOGUE.values():
        for name in policy.parameters:
            spec, entries = declared[name]
            assert spec.regional or entries, name
            assert all(e.document for e in entries)


def test_national_values_follow_their_dates():
    assert national_snapshot(dt.date(2023, 9, 30)).value(CEILING) == 200000
    assert national_snapshot(dt.date(2023, 10, 1)).value(CEILING) == 300000
    assert national_snapshot(dt.date(2018, 4, 1)).value(CEILING) is None


def test_lpr_lookup_uses_the_series_in_force():
    assert str(lpr_1y_on(dt.date(2022, 1, 19)).value) == "19/500"  # 3.80 %
    assert str(lpr_1y_on(dt.date(2022, 1, 20)).value) == "37/1000"  # 3.70 %
    assert lpr_1y_on(dt.date(2019, 8, 19)) is None


def test_a_registered_lpr_source_is_seen_by_lookups_and_snapshots():
    later = Entry(start=dt.date(2026, 3, 20), value=__import__("fractions").Fraction(29, 1000), document="测试公告")

    def source():
        return [("1y", later)]

    register_lpr_source(source)
    try:
        assert lpr_1y_on(dt.date(2026, 4, 1)).value == later.value
        assert national_snapshot(dt.date(2026, 4, 1)).value("lpr.1y") == later.value
    finally:
        unregister_lpr_source(source)
    assert lpr_1y_on(dt.date(2026, 4, 1)).value != later.value


def test_merge_prefers_the_more_specific_region_then_the_later_start():
    spec = parameter_spec(CEILING)
    national = [
        (0, Entry(dt.date(2023, 10, 1), 300000, "财金〔2023〕75号")),
        (0, Entry(dt.date(2026, 1, 1), 350000, "新")),
    ]
    province = (2, Entry(dt.date(2025, 4, 1), 500000, "川", "510000"))
    county = (6, Entry(dt.date(2025, 6, 1), 600000, "锦江", "510104"))
    series = merge(spec, [*national, province, county])
    assert [
        series.at(dt.date(d[0], d[1], d[2])).value for d in [(2024, 1, 1), (2025, 4, 1), (2025, 6, 1), (2026, 2, 1)]
    ] == [
        300000,
        500000,
        600000,
        600000,  # a later national value does not displace the county's own
    ]


candidate_lists = st.lists(
    st.tuples(st.sampled_from([0, 2, 4, 6]), st.dates(dt.date(2020, 1, 1), dt.date(2020, 3, 1))), max_size=12
)


@given(candidate_lists, st.dates(dt.date(2019, 12, 25), dt.date(2020, 3, 5)))
def test_merged_series_gives_on_every_day_the_winner_of_the_rule(candidates, day):
    """On any day: among entries started by then, the most specific region, then the latest start, then the
    later candidate (a correction) — checked against a direct search over every candidate."""
    spec = parameter_spec(CEILING)
    ranked = [(s, Entry(start, i, f"文{i}")) for i, (s, start) in enumerate(candidates)]
    started = [(s, e.start, i, e) for i, (s, e) in enumerate(ranked) if e.start <= day]
    expected = max(started, key=lambda item: item[:3])[3] if started else None
    assert merge(spec, ranked).at(day) is expected


def test_region_chain():
    assert region_chain("510104") == ["510000", "510100", "510104"]
    assert region_chain("510100") == ["510000", "510100"]
    assert region_chain("") == []


@pytest.mark.django_db
def test_province_override_applies_to_its_counties_only(officer_sc):
    parameter_override_create(
        actor=officer_sc,
        name=CEILING,
        region_code="510000",
        value="500000",
        effective_from="2025-04-01",
        document_number="川人社发〔2025〕1号",
    )
    on = dt.date(2025, 5, 1)
    assert snapshot_for(on=on, region_code="510104").value(CEILING) == 500000
    assert snapshot_for(on=on, region_code="500101").value(CEILING) == 300000  # 重庆
    assert snapshot_for(on=dt.date(2025, 3, 31), region_code="510104").value(CEILING) == 300000
    entry = snapshot_for(on=on, region_code="510104").entry(CEILING)
    assert entry.source == "四川省（510000）川人社发〔2025〕1号，2025-04-01 起施行"


@pytest.mark.django_db
def test_county_beats_province_and_known_at_ignores_later_entries(officer_jj, officer_sc):
    parameter_override_create(
        actor=officer_sc,
        name=CEILING,
        region_code="510000",
        value="500000",
        effective_from="2025-04-01",
        document_number="川人社发〔2025〕1号",
    )
    before_county = timezone.now()
    parameter_override_create(
        actor=officer_jj,
        name=CEILING,
        region_code="510104",
        value="450000.00",
        effective_from="2025-01-01",
        document_number="锦人社发〔2025〕3号",
    )
    on = dt.date(2025, 5, 1)
    assert snapshot_for(on=on, region_code="510104").value(CEILING) == 450000
    assert snapshot_for(on=on, region_code="510107").value(CEILING) == 500000  # 武侯区: the province's value
    assert snapshot_for(on=on, region_code="510104", known_at=before_county).value(CEILING) == 500000


@pytest.mark.django_db
def test_override_entry_is_audited(officer_jj):
    row = parameter_override_create(
        actor=officer_jj,
        name="subsidy.startup_once.amount",
        region_code="510104",
        value="5000",
        effective_from=dt.date(2024, 1, 1),
        document_number="锦人社发〔2024〕9号",
    )
    assert row.value == "5000.00"
    event = AuditEvent.objects.get(action="policies.parameter_override_created")
    assert event.actor_label == "officer_jj"
    assert event.region_code == "510104"
    assert event.details["name"] == "subsidy.startup_once.amount"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "loan.unknown"}, "name"),
        ({"name": "lpr.1y"}, "name"),  # national only
        ({"region_code": "519999"}, "region_code"),
        ({"value": "-1"}, "value"),
        ({"value": "abc"}, "value"),
        ({"effective_from": "2025-02-30"}, "effective_from"),
        ({"document_number": " "}, "document_number"),
    ],
)
def test_override_entry_is_checked(officer_jj, changes, field):
    entry = {
        "name": CEILING,
        "region_code": "510104",
        "value": "400000",
        "effective_from": "2025-01-01",
        "document_number": "锦人社发〔2025〕3号",
    } | changes
    with pytest.raises(FieldValueError) as caught:
        parameter_override_create(actor=officer_jj, **entry)
    assert caught.value.errors[0].field == field
    assert not AuditEvent.objects.filter(action="policies.parameter_override_created").exists()
