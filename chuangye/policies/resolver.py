"""Building a parameter snapshot for a region and decision date: national YAML + LPR + regional overrides.

This is the only place that reads parameter overrides from the database. The rule, per parameter and day: the
most specific region's value wins (county over city over province over national), then the latest ``from`` on
or before that day. ``known_at`` ignores overrides entered later, so a past decision can be replayed exactly.
"""

import datetime as dt
import functools

from chuangye.core.regions import significant_prefix
from chuangye.policies.params import Entry, Series, Snapshot, merge, national_parameters, parse_param_value
from chuangye.policies.rates import lpr_series_all


@functools.cache
def _shipped_series() -> dict[str, Series]:
    return {name: merge(spec, ((0, e) for e in entries)) for name, (spec, entries) in national_parameters().items()}


def national_series() -> dict[str, Series]:
    """Every parameter's national series; the LPR comes through ``rates`` so registered sources are included."""
    series = dict(_shipped_series())
    for term, found in lpr_series_all().items():
        series[f"lpr.{term}"] = found
    return series


def national_snapshot(on: dt.date) -> Snapshot:
    """National defaults only (no database): for tests, benchmarks and the national view."""
    return Snapshot(on=on, region_code="", series=national_series())


def region_chain(region_code: str) -> list[str]:
    """The codes whose overrides apply to ``region_code``: its province, city and itself (most general first)."""
    if not region_code or region_code == "000000":
        return []
    prefix = significant_prefix(region_code)
    chain = [prefix[:2] + "0000"]
    if len(prefix) >= 4:
        chain.append(prefix[:4] + "00")
    if len(prefix) == 6:
        chain.append(region_code)
    return chain


def snapshot_for(*, on: dt.date, region_code: str = "", known_at: dt.datetime | None = None) -> Snapshot:
    """The snapshot for ``region_code`` (blank: national) on ``on``, as known at ``known_at`` (default: now)."""
    from chuangye.core.models import Region
    from chuangye.policies.models import ParameterOverride

    series = national_series()
    chain = region_chain(region_code)
    if not chain:
        return Snapshot(on=on, region_code="", series=series)
    rows = ParameterOverride.objects.filter(region_code__in=chain).order_by("created_at", "id")
    if known_at is not None:
        rows = rows.filter(created_at__lte=known_at)
    names = dict(Region.objects.filter(code__in=chain).values_list("code", "name"))
    extra: dict[str, list[tuple[int, Entry]]] = {}
    for row in rows:
        if row.name not in series or not series[row.name].spec.overridable:
            continue  # a parameter withdrawn from the catalogue since; the record stays for the audit trail
        spec = series[row.name].spec
        entry = Entry(
            start=row.effective_from,
            value=parse_param_value(spec, row.value),
            document=row.document_number,
            region_code=row.region_code,
        ).describe(names)
        extra.setdefault(row.name, []).append((len(significant_prefix(row.region_code)), entry))
    for name, candidates in extra.items():
        national = [(0, e) for e in series[name].entries]
        series[name] = merge(series[name].spec, [*national, *candidates])
    return Snapshot(on=on, region_code=region_code, series=series)
