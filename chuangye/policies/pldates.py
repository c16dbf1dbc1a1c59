"""Rules of the batch compiler (``plcompile``) for dates: a date plus a number of months, and the statutory
retirement date. From a date column and constants, both are calendar tables read at each row's day (see
``batch_dates``); the column of derived dates is made only if something reads it (a comparison with a fixed
day needs only a threshold on the base column)."""

from typing import TYPE_CHECKING

from chuangye.core.dates import add_months as calendar_add_months
from chuangye.policies import batch_dates as bd
from chuangye.policies import expr as x
from chuangye.policies.plvalues import C, const, day_key

if TYPE_CHECKING:
    from chuangye.policies.plcompile import Compiler


def add_months(cx: "Compiler", node: x.AddMonths) -> C:
    date, months = cx.compile(node.date), cx.compile(node.months)
    if (date.is_const and date.const is None) or (months.is_const and months.const is None):
        return const("date", None)
    if date.is_const and months.is_const:
        return const("date", calendar_add_months(date.const, int(months.const)))
    if months.is_const and date.mono is not None:
        mono = date.mono.add_months(int(months.const))
        nullable = cx.index_nullable(mono.base, date.nullable)
        return _mapped(cx, mono, nullable)
    return C(cx.derive(bd.add_months_column(date.expr, months.expr)), "date")


def retirement(cx: "Compiler", node: x.RetirementDate) -> C:
    birth, sex = cx.compile(node.birth), cx.compile(node.sex)
    if (birth.is_const and birth.const is None) or (sex.is_const and sex.const is None):
        return const("date", None)  # an absent column: no retirement date to compute
    if birth.mono is None or birth.mono.by is not None or sex.is_const:
        raise TypeError("in batch, a retirement date is taken from a date fact and the sex fact")
    mono = birth.mono.retire(sex.expr, complete=not sex.nullable)
    nullable = cx.index_nullable(mono.base, birth.nullable or sex.nullable)
    return _mapped(cx, mono, nullable)


def _mapped(cx: "Compiler", mono: bd.DateMap, nullable: bool) -> C:
    origin = ("date", day_key(mono.base), str(mono.ops), str(mono.by))  # see Compiler.derive
    make = lambda: cx.derive(mono.column(cx.day_index(mono.base)), origin)  # noqa: E731
    return C(None, "date", mono=mono, make=make, nullable=nullable)
