"""Hand-shaped SQL for the few hot paths (queue operations, the audit append, the outbox).

Compiling an ORM query costs this machine's class of CPU about as much as the database takes
to run it (docs/benchmarks.md): the queue's writes, thousands an hour per centre, use these
helpers, which build each statement once per process and let Django's own field code adapt
every value, so both databases store exactly what the ORM would have stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any, TypeVar

from django.db import connection, models

M = TypeVar("M", bound=models.Model)


class Increment:
    """`column = column + by` in an UPDATE built by `update_returning`."""

    def __init__(self, by: int = 1) -> None:
        self.by = by


def qn(name: str) -> str:
    return connection.ops.quote_name(name)


def prep(model: type[models.Model], field_name: str, value: Any) -> Any:
    """A Python value as the database stores it in that field (UUIDs, datetimes, JSON)."""
    field = model._meta.get_field(field_name)
    if isinstance(value, models.Model):
        value = value.pk
    return field.get_db_prep_save(value, connection)  # type: ignore[union-attr]


@cache
def _insert_sql(model: type[models.Model], columns: tuple[str, ...], returning: str) -> str:
    cols = ", ".join(qn(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    tail = f" RETURNING {qn(returning)}" if returning else ""
    return f"INSERT INTO {qn(model._meta.db_table)} ({cols}) VALUES ({marks}){tail}"


def insert(obj: models.Model) -> None:
    """INSERT one new instance as `obj.save()` would, without signals or query compilation;
    an auto-increment primary key comes back into `obj`."""
    meta = obj._meta
    pk = meta.pk
    assert pk is not None
    auto_pk = isinstance(pk, models.AutoField) and getattr(obj, pk.attname) is None
    fields = [f for f in meta.concrete_fields if not (auto_pk and f is pk)]
    params = [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
    sql = _insert_sql(type(obj), tuple(f.column for f in fields), pk.column if auto_pk else "")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if auto_pk:
            setattr(obj, pk.attname, cursor.fetchone()[0])
    obj._state.adding = False
    obj._state.db = connection.alias


@cache
def _update_sql(
    model: type[models.Model],
    assignments: tuple[tuple[str, bool], ...],
    conditions: tuple[str, ...],
    returning: tuple[str, ...],
) -> str:
    sets = ", ".join(
        f"{qn(col)} = {qn(col)} + %s" if increment else f"{qn(col)} = %s"
        for col, increment in assignments
    )
    where = " AND ".join(f"{qn(col)} = %s" for col in conditions)
    tail = f" RETURNING {', '.join(qn(c) for c in returning)}" if returning else ""
    return f"UPDATE {qn(model._meta.db_table)} SET {sets} WHERE {where}{tail}"


def update_returning(
    model: type[models.Model],
    *,
    where: dict[str, Any],
    changes: dict[str, Any],
    returning: Sequence[str],
) -> tuple[Any, ...] | None:
    """One conditional UPDATE; the `returning` columns of the changed row as the database
    gives them back, or None when no row matched. Keys are field names; a value may be an
    `Increment`. Only one row may match `where` (a primary key is part of it)."""
    meta = model._meta
    assignments = []
    params: list[Any] = []
    for name, value in changes.items():
        field = meta.get_field(name)
        if isinstance(value, Increment):
            assignments.append((field.column, True))  # type: ignore[union-attr]
            params.append(value.by)
        else:
            assignments.append((field.column, False))  # type: ignore[union-attr]
            params.append(prep(model, name, value))
    conditions = []
    for name, value in where.items():
        conditions.append(meta.get_field(name).column)  # type: ignore[union-attr]
        params.append(prep(model, name, value))
    columns = tuple(meta.get_field(n).column for n in returning)  # type: ignore[union-attr]
    sql = _update_sql(model, tuple(assignments), tuple(conditions), columns)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return tuple(row) if row is not None else None


def select(
    query: str, params: Sequence[Any], fields: Sequence[models.Field[Any, Any]]
) -> list[tuple[Any, ...]]:
    """Rows of a hand-written SELECT whose columns are, in order, the values of `fields`,
    converted as the ORM would (SQLite keeps datetimes as text and UUIDs as hex)."""
    columns = [f.get_col(f.model._meta.db_table) for f in fields]
    converters = [
        connection.ops.get_db_converters(col) + col.get_db_converters(connection) for col in columns
    ]
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        raw_rows = cursor.fetchall()
    rows = []
    for raw in raw_rows:
        row = list(raw)
        for i, column_converters in enumerate(converters):
            for convert in column_converters:
                row[i] = convert(row[i], columns[i], connection)
        rows.append(tuple(row))
    return rows


def field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    found = model._meta.get_field(name)
    assert isinstance(found, models.Field)
    return found


def one(model: type[M], where: str, params: Sequence[Any]) -> M | None:
    """The row of `model` matching a hand-written WHERE clause, as an instance, or None."""
    table = qn(model._meta.db_table)
    found = model._default_manager.raw(f"SELECT * FROM {table} WHERE {where}", params)
    return next(iter(found), None)
