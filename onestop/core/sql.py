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


def _insert_statement(obj: models.Model) -> tuple[str, list[Any], bool]:
    meta = obj._meta
    pk = meta.pk
    assert pk is not None
    auto_pk = isinstance(pk, models.AutoField) and getattr(obj, pk.attname) is None
    fields = [f for f in meta.concrete_fields if not (auto_pk and f is pk)]
    params = [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
    sql = _insert_sql(type(obj), tuple(f.column for f in fields), pk.column if auto_pk else "")
    return sql, params, auto_pk


def _inserted(obj: models.Model, new_pk: Any = None) -> None:
    if new_pk is not None:
        setattr(obj, obj._meta.pk.attname, new_pk)
    obj._state.adding = False
    obj._state.db = connection.alias


def insert(obj: models.Model) -> None:
    """INSERT one new instance as `obj.save()` would, without signals or query compilation;
    an auto-increment primary key comes back into `obj`."""
    sql, params, auto_pk = _insert_statement(obj)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        _inserted(obj, cursor.fetchone()[0] if auto_pk else None)


def insert_then(obj: models.Model, statement: str, params: Sequence[Any]) -> None:
    """`insert(obj)` and then one more data-changing statement; on PostgreSQL both travel
    in one round trip (a data-modifying WITH), on SQLite they run one after the other."""
    insert_sql, insert_params, auto_pk = _insert_statement(obj)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            returning = insert_sql if auto_pk else f"{insert_sql} RETURNING NULL"
            cursor.execute(
                f"WITH inserted AS ({returning}) {statement} RETURNING (SELECT * FROM inserted)",
                [*insert_params, *params],
            )
            _inserted(obj, cursor.fetchone()[0] if auto_pk else None)
        else:
            cursor.execute(insert_sql, insert_params)
            _inserted(obj, cursor.fetchone()[0] if auto_pk else None)
            cursor.execute(statement, params)


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


def select_models(
    from_where: str, params: Sequence[Any], parts: Sequence[tuple[str, type[models.Model]]]
) -> list[tuple[models.Model | None, ...]]:
    """Rows of several joined models in one statement, each row a tuple of instances (None
    for a LEFT JOIN that found nothing). `parts` names each table's alias in `from_where`."""
    fields = [(alias, model, list(model._meta.concrete_fields)) for alias, model in parts]
    columns = ", ".join(f"{alias}.{qn(f.column)}" for alias, _, fs in fields for f in fs)
    flat = [f for _, _, fs in fields for f in fs]
    rows = select(f"SELECT {columns} FROM {from_where}", params, flat)
    found = []
    for row in rows:
        instances: list[models.Model | None] = []
        at = 0
        for _, model, fs in fields:
            values = row[at : at + len(fs)]
            at += len(fs)
            pk_index = fs.index(model._meta.pk)
            if values[pk_index] is None:
                instances.append(None)
            else:
                instances.append(model.from_db(connection.alias, [f.attname for f in fs], values))
        found.append(tuple(instances))
    return found


def bump_counter(model: type[models.Model], keys: dict[str, Any], column: str = "last") -> int:
    """The next value of a counter row (created at 1), in one statement that also locks the
    row until commit: two writers never get the same number."""
    table = qn(model._meta.db_table)
    names = [field(model, k).column for k in keys]
    values = [prep(model, k, v) for k, v in keys.items()]
    col = qn(column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(qn(n) for n in names)}, {col}) "
            f"VALUES ({', '.join(['%s'] * len(names))}, 1) "
            f"ON CONFLICT ({', '.join(qn(n) for n in names)}) "
            f"DO UPDATE SET {col} = {table}.{col} + 1 RETURNING {col}",
            values,
        )
        return int(cursor.fetchone()[0])
