"""Helpers for bulk work (a register import of 200,000 markings, a large instroom file)."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table, bindparam, insert, update
from sqlalchemy.orm import Session


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the duration.

    A bulk import keeps millions of small objects alive (rows, keys), and
    every full collection walks all of them again: about a third of a
    register import's time went there. Reference counting still frees
    everything; cycles wait until the collector runs again afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


#: Values per ``IN (...)`` list of :func:`chunks`: SQLite (before 3.32) and
#: PostgreSQL cap the bound values of one statement at 32,766 and 65,535, and a
#: big check or instroom file asks about more than 100,000 ids at once.
IN_CHUNK = 10_000


def chunks(values: Sequence[Any]) -> Iterator[list[Any]]:
    """`values` in lists of at most `IN_CHUNK`, for one ``IN`` query each."""
    for n in range(0, len(values), IN_CHUNK):
        yield list(values[n : n + IN_CHUNK])


def _mark(session: Session) -> str | None:
    """The driver's positional parameter marker; None for another style."""
    return {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(
        session.connection().dialect.paramstyle
    )


def _processed(
    session: Session,
    table: Table,
    names: Sequence[str],
    rows: Iterable[Sequence[Any]],
    extra: tuple[Any, ...] = (),
) -> list[tuple[Any, ...]]:
    """Rows (each followed by `extra`) with every typed value through the
    dialect's bind processor (once per distinct value), as SQLAlchemy would
    send them."""
    dialect = session.connection().dialect
    convert: list[tuple[int, Any, dict[Any, Any]]] = []
    for n, name in enumerate(names):
        proc = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if proc is not None:
            convert.append((n, proc, {}))
    if not convert:
        return [(*r, *extra) for r in rows]
    values: list[tuple[Any, ...]] = []
    for r in rows:
        row = [*r, *extra]
        for n, proc, seen in convert:
            v = row[n]
            if v is not None:
                try:
                    row[n] = seen[v]
                except KeyError:
                    row[n] = seen[v] = proc(v)
                except TypeError:  # unhashable (a JSON list)
                    row[n] = proc(v)
        values.append(tuple(row))
    return values


def insert_rows(
    session: Session,
    table: Table,
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    constants: Mapping[str, Any] | None = None,
) -> None:
    """INSERT many rows (values in the order of `names`) through the driver's own executemany.

    SQLAlchemy's per-row parameter handling costs more than the database
    itself for 100,000 rows. The typed columns (dates, times, booleans, JSON)
    go through the dialect's own bind processors, and scalar column defaults
    are filled in, so the stored rows are exactly what a Core
    ``insert(table)`` executemany would store. Drivers of another parameter
    style, and callable defaults, take that Core path instead. `constants`
    are columns with one value for every row.
    """
    if not rows:
        return
    mark = _mark(session)
    defaults: dict[str, Any] = dict(constants or {})
    portable = mark is None
    for c in table.columns:
        if c.name in names or c.name in defaults or c.default is None:
            continue
        if getattr(c.default, "is_scalar", False):
            defaults[c.name] = getattr(c.default, "arg", None)
        else:
            portable = True
    if portable:
        session.execute(
            insert(table), [{**dict(zip(names, r, strict=True)), **(constants or {})} for r in rows]
        )
        return
    all_names = (*names, *defaults)
    extra = tuple(defaults.values())
    values = _processed(session, table, all_names, rows, extra)
    sql = (
        f"INSERT INTO {table.name} ({', '.join(all_names)}) "
        f"VALUES ({', '.join([mark or '?'] * len(all_names))})"
    )
    conn = session.connection()
    for n in range(0, len(values), 50_000):
        conn.exec_driver_sql(sql, values[n : n + 50_000])


def update_rows(
    session: Session, table: Table, names: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """UPDATE many rows by primary key through the driver's executemany.

    Each row holds the new values of `names` followed by the key (``id``);
    values are converted as in :func:`insert_rows`.
    """
    if not rows:
        return
    mark = _mark(session)
    if mark is None:
        session.execute(
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values({n: bindparam(n) for n in names}),
            [{**dict(zip(names, r, strict=False)), "b_id": r[-1]} for r in rows],
        )
        return
    values = _processed(session, table, (*names, "id"), rows)
    sets = ", ".join(f"{n} = {mark}" for n in names)
    sql = f"UPDATE {table.name} SET {sets} WHERE id = {mark}"
    conn = session.connection()
    for n in range(0, len(values), 50_000):
        conn.exec_driver_sql(sql, values[n : n + 50_000])
