"""Loading many rows of synthetic data fast: COPY on PostgreSQL, one ``executemany`` elsewhere.

Django's ``bulk_create`` prepares every value of every row field by field (about 100 µs a row for a person), which is
most of the time a million synthetic people take; encryption itself is a few microseconds a field. Here each column
gets one converter chosen once per table, and plain values go to the database as they are. Only for generated data:
real writes go through the actions.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

from chuangye.core.pii import EncryptedTextField

Converter = Callable[[Any], Any]


def _converter(field: Any, now: Any) -> Converter | None:
    """How one column's Python value becomes what the database stores; None when it goes as it is."""
    ops = connection.ops  # looked up once: the connection proxy costs a microsecond a value
    if isinstance(field, EncryptedTextField | models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    if isinstance(field, models.DateTimeField):
        stamp = field.auto_now or field.auto_now_add
        return lambda value: ops.adapt_datetimefield_value(now if stamp else value)
    if isinstance(field, models.DateField):
        return lambda value: None if value is None else ops.adapt_datefield_value(value)
    if isinstance(field, models.DecimalField):
        return lambda value: None if value is None else ops.adapt_decimalfield_value(value)
    return None


def insert_objects(model: type[models.Model], objects: Sequence[models.Model]) -> int:
    """Insert unsaved ``objects`` of ``model`` (every concrete column but the id, defaults as the instances hold
    them) inside the caller's transaction. Ids are not set on the objects: find the rows again by a unique key."""
    if not objects:
        return 0
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    converters = [(f.attname, _converter(f, now)) for f in fields]
    rows = [
        tuple(convert(getattr(obj, name)) if convert else getattr(obj, name) for name, convert in converters)
        for obj in objects
    ]
    quote = connection.ops.quote_name
    table, names = quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608 - our names
    return len(rows)
