"""Code facts in batch: a frame may hold them as an Enum, as text or as their positions in the vocabulary; the
compiled plan works on positions either way and gives what the per-person evaluator gives."""

import datetime as dt
from fractions import Fraction

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chuangye.policies import expr as x
from chuangye.policies.batch import SCHEMA, facts_frame, prepare
from chuangye.policies.facts import COURSES, SEXES, parse_facts
from chuangye.policies.plcompile import Compiler
from chuangye.policies.plprofile import Profile
from chuangye.policies.pyeval import Env, compile_py
from chuangye.policies.resolver import national_snapshot

SEX, COURSE = x.fact("sex"), x.fact("course")
M, F, UNKNOWN = x.Const("M", "str"), x.Const("F", "str"), x.Const("X", "str")
TREES = {
    "equal": x.Compare("==", SEX, M),
    "equal_flipped": x.Compare("==", F, SEX),
    "not_equal": x.Compare("!=", SEX, F),
    "not_a_code": x.Compare("==", SEX, UNKNOWN),
    "not_a_code_differs": x.Compare("!=", SEX, UNKNOWN),
    "ordered": x.Compare("<", COURSE, x.Const(sorted(COURSES)[1], "str")),  # codes order as text, as per person
    "same_column": x.Compare("==", SEX, SEX),
    "branch_of_codes": x.Compare("==", x.If(x.fact("employed"), SEX, F), M),
    "branch_of_vocabularies": x.Compare("==", x.If(x.fact("employed"), SEX, COURSE), M),
    "missing_code_filled": x.Compare("==", x.Coalesce(SEX, M), M),
    "in_parameter_set": x.Contains(x.Param("subsidy.training.courses"), COURSE),
    "in_fact_set": x.Contains(x.fact("previously_subsidised_courses"), COURSE),
    "amount_by_code": x.ParamFor("subsidy.training.amount", COURSE, tuple(COURSES)),
}

person = st.fixed_dictionaries(
    {
        "sex": st.one_of(st.none(), st.sampled_from(list(SEXES))),
        "course": st.one_of(st.none(), st.sampled_from(list(COURSES))),
        "employed": st.one_of(st.none(), st.booleans()),
        "previously_subsidised_courses": st.one_of(st.none(), st.lists(st.sampled_from(list(COURSES)), unique=True)),
    }
).map(lambda facts: {k: v for k, v in facts.items() if v is not None})


def as_positions(frame: pl.DataFrame, dtype: pl.DataType) -> pl.DataFrame:
    return frame.with_columns(pl.col("sex", "course").to_physical().cast(dtype))


@settings(max_examples=60, deadline=None)
@given(people=st.lists(person, min_size=1, max_size=10))
def test_code_trees_over_every_encoding_equal_per_person(people):
    snapshot = national_snapshot(dt.date(2024, 6, 15)).with_value("subsidy.training.amount.SYB", "1000.00")
    facts = [parse_facts(p) for p in people]
    enum = facts_frame(facts)
    frames = {
        "enum": enum,
        "text": enum.with_columns(pl.col("sex", "course").cast(pl.String)),
        "positions": as_positions(enum, pl.UInt8),
        "wide positions": as_positions(enum, pl.Int64),
    }
    expected = {name: [compile_py(node)(Env(f.values, snapshot, {})) for f in facts] for name, node in TREES.items()}
    for encoding, raw in frames.items():
        frame = prepare(raw, add_missing=False)
        compiler = Compiler(snapshot, profile=Profile.of(frame))
        compiled = {name: compiler.compile(node) for name, node in TREES.items()}
        result = compiler.run(frame, [c.expr.alias(name) for name, c in compiled.items()])
        for name, c in compiled.items():
            got = result.get_column(name).to_list()
            if name == "amount_by_code":
                got = [None if v is None else Fraction(v, c.denom) for v in got]
            assert got == expected[name], (encoding, name)


def test_positions_are_used_as_given_or_cast_to_the_enums_physical_type():
    frame = pl.DataFrame({"sex": pl.Series([0, 1, None], dtype=pl.UInt8), "course": [0, None, len(COURSES) - 1]})
    prepared = prepare(frame, add_missing=False)
    physical = facts_frame([]).select(pl.col("sex", "course").to_physical()).schema
    assert prepared.schema["sex"] == physical["sex"] and prepared.schema["course"] == physical["course"]
    assert prepared.get_column("sex").to_list() == [0, 1, None]
    assert SCHEMA["sex"] == pl.Enum(list(SEXES))  # position 0 is the vocabulary's first code


@pytest.mark.parametrize("values", [[0, 2], [-1, 0], [5]])
def test_a_position_outside_the_vocabulary_is_refused_naming_the_field(values):
    frame = pl.DataFrame({"sex": pl.Series(values, dtype=pl.Int64)})
    with pytest.raises(ValueError, match=r"性别（sex）：代码序号须在 0 到 1 之间"):
        prepare(frame, add_missing=False)


def test_a_code_outside_the_vocabulary_given_as_text_is_refused_naming_the_field():
    frame = pl.DataFrame({"sex": ["M", None, "X", "F", "X"]})
    with pytest.raises(ValueError, match=r"性别（sex）：不是可选的代码：X$"):
        prepare(frame, add_missing=False)
    assert prepare(frame.head(2), add_missing=False).get_column("sex").to_list() == ["M", None]
