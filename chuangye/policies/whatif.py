"""What-if: the effect of a parameter change on a population, before anyone decides to make it. Pure: nothing
is saved, no database is read (the caller builds the population frame and the two snapshots)."""

import polars as pl

from chuangye.policies.batch import evaluate_batch
from chuangye.policies.catalogue import get_policy
from chuangye.policies.facts import VOCABULARY
from chuangye.policies.params import Snapshot
from chuangye.policies.plcompile import SET_BITS
from chuangye.policies.policy import Policy


def what_if(
    population: pl.DataFrame,
    policy: Policy | str,
    base: Snapshot,
    changed: Snapshot,
    *,
    by: str,
) -> pl.DataFrame:
    """Compare ``policy`` under ``base`` and ``changed`` parameters over ``population``, grouped by ``by``.

    One row per group: ``people``, ``eligible_before``, ``eligible_after``, ``gained`` (eligible only after),
    ``lost`` (only before), and costs in 分 ``cost_before_fen``, ``cost_after_fen``, ``cost_change_fen`` (the sum of
    amounts of the eligible; unset amounts count as 0). Grouping by a code-set fact (e.g. ``key_groups``) counts a
    person once in each of their groups, so those groups' totals can exceed the population.
    """
    rule = get_policy(policy) if isinstance(policy, str) else policy
    if by not in population.columns:
        raise KeyError(f"population has no column {by!r}")
    before = evaluate_batch(rule, population, base)
    after = evaluate_batch(rule, population, changed)
    rows = pl.DataFrame(
        {
            by: population.get_column(by),
            "before": before.get_column("eligible"),
            "after": after.get_column("eligible"),
            "cost_before": before.get_column("amount_fen").fill_null(0),
            "cost_after": after.get_column("amount_fen").fill_null(0),
        }
    )
    rows = _explode_codes(rows, by)
    summary = rows.group_by(by).agg(
        pl.len().alias("people"),
        pl.col("before").sum().alias("eligible_before"),
        pl.col("after").sum().alias("eligible_after"),
        (pl.col("after") & ~pl.col("before")).sum().alias("gained"),
        (pl.col("before") & ~pl.col("after")).sum().alias("lost"),
        pl.col("cost_before").sum().alias("cost_before_fen"),
        pl.col("cost_after").sum().alias("cost_after_fen"),
    )
    summary = summary.with_columns((pl.col("cost_after_fen") - pl.col("cost_before_fen")).alias("cost_change_fen"))
    return summary.sort(by, nulls_last=True)


def _explode_codes(rows: pl.DataFrame, by: str) -> pl.DataFrame:
    """Turn a bit-mask column of codes into one row per code held (people with none get a null group)."""
    spec = VOCABULARY.get(by)
    if spec is None or by not in SET_BITS:
        return rows
    mask = rows.get_column(by)
    if isinstance(mask.dtype, pl.List):
        return rows.explode(by)
    parts = [
        rows.filter((pl.col(by) & bit) != 0).with_columns(pl.lit(code).alias(by)) for code, bit in SET_BITS[by].items()
    ]
    none = rows.filter(pl.col(by).fill_null(0) == 0).with_columns(pl.lit(None, dtype=pl.String).alias(by))
    return pl.concat([*parts, none]) if parts else rows
