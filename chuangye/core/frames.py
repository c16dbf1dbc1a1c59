"""Reading many rows into a Polars frame, fast on PostgreSQL and plain elsewhere.

A Django ``values_list`` query costs a few microseconds a value in Python, which is most of the time a scan of a
million registrants would take. On PostgreSQL the same query (its SQL from the ORM, so scoping stays in one place)
is run through ``COPY ... TO STDOUT`` as CSV and parsed by Polars in native code; on other databases the rows are
fetched as usual. Either way the frame has exactly the columns and types asked for, so callers cannot tell which
path ran (the suite runs on both). Read-only: writes go through the actions.
"""

import io
from collections.abc import Mapping
from typing import Any

import polars as pl
from django.db import connection
from django.db.models import QuerySet

NULL = "\\N"  # how COPY writes a null, so that an empty text stays an empty text


def read_frame(query: "QuerySet[Any, Any]", schema: Mapping[str, Any]) -> pl.DataFrame:
    """The rows of ``query`` (a ``values_list`` with one field per ``schema`` entry, in order) as a typed frame.

    Supported column types: Int64, String, Date, Boolean, Decimal (with a scale)."""
    if connection.vendor == "postgresql":
        return _typed(_copy_csv(query, list(schema)), schema)
    rows = list(query)
    if not rows:
        return pl.DataFrame(schema=dict(schema))
    return pl.DataFrame(rows, schema=dict(schema), orient="row")


def _copy_csv(query: "QuerySet[Any, Any]", names: list[str]) -> pl.DataFrame:
    sql, params = query.query.sql_with_params()
    buffer = io.BytesIO()
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor: Django's wrapper has no COPY
        with raw.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, NULL '{NULL}')", params) as copy:
            for block in copy:
                buffer.write(block)
    if not buffer.tell():
        return pl.DataFrame(schema=dict.fromkeys(names, pl.String))
    buffer.seek(0)
    return pl.read_csv(
        buffer,
        has_header=False,
        new_columns=names,
        schema=dict.fromkeys(names, pl.String),
        null_values=NULL,
        empty_string_is_null=False,
    )


def _typed(frame: pl.DataFrame, schema: Mapping[str, Any]) -> pl.DataFrame:
    columns = []
    for name, dtype in schema.items():
        col = pl.col(name)
        if dtype == pl.Date:
            columns.append(col.str.to_date("%Y-%m-%d"))
        elif dtype == pl.Boolean:
            columns.append(col.replace_strict({"t": True, "f": False}, default=None, return_dtype=pl.Boolean))
        elif dtype == pl.String:
            columns.append(col)
        else:
            columns.append(col.cast(dtype))
    return frame.select(columns)
