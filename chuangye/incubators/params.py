"""The incubator figures: declared with their national defaults and sources in
``chuangye/policies/parameters/incubators.yaml`` and resolved for a region and day by the policy engine's resolver
(county over city over province over national, then the latest ``from`` on or before the day), so a bureau changes
them on the workbench's parameter page like any other policy figure."""

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from chuangye.policies.params import Snapshot
from chuangye.policies.resolver import snapshot_for

PREFIX = "incubators."

# Demonstration criteria: (parameter, indicator key, kind). "min" criteria pass when the indicator is at least
# the parameter; a missing indicator (no data yet) does not pass.
DEMO_CRITERIA = (
    ("incubators.demo.min_utilisation", "utilisation", "rate"),
    ("incubators.demo.min_entities", "entities", "int"),
    ("incubators.demo.min_success_rate", "success_rate", "rate"),
    ("incubators.demo.min_on_time_rate", "on_time_rate", "rate"),
    ("incubators.demo.min_jobs", "jobs_created", "int"),
    ("incubators.demo.min_events", "events", "int"),
    ("incubators.demo.min_staff", "staff", "int"),
    ("incubators.demo.min_mentors", "mentors", "int"),
    ("incubators.demo.min_satisfaction", "satisfaction", "rate"),
)


@dataclass(frozen=True)
class Param:
    name: str
    label: str
    value: Any
    source: str
    unit: str = ""

    @property
    def display(self) -> str:
        if isinstance(self.value, Fraction):
            return format_rate(self.value)
        return f"{self.value}{self.unit}"


def format_rate(value: Fraction | None) -> str:
    if value is None:
        return "—"
    percent = value * 100
    if percent.denominator == 1:
        return f"{percent.numerator}%"
    return f"{float(percent):.1f}%"


def snapshot(region_code: str, on: dt.date) -> Snapshot:
    return snapshot_for(on=on, region_code=region_code)


def param(snap: Snapshot, name: str) -> Param:
    spec = snap.spec(name)
    entry = snap.entry(name)
    if entry is None:
        return Param(name, spec.label, None, spec.note or "本地区尚未设定", spec.unit)
    return Param(name, spec.label, entry.value, entry.source, spec.unit)


def value(region_code: str, on: dt.date, name: str) -> Any:
    return snapshot(region_code, on).value(name)


def all_params(region_code: str, on: dt.date) -> list[Param]:
    """Every incubator parameter in force for the region on the day, for the pages that show them."""
    snap = snapshot(region_code, on)
    return [param(snap, name) for name in sorted(snap.series) if name.startswith(PREFIX)]
