"""Helpers for bulk work (a register import of 200,000 markings, a large instroom file)."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table, insert
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


def insert_rows(
    session: Session, table: Table, names: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """INSERT many rows (values in the order of `names`) through the driver's own executemany.

    SQLAlchemy's per-row parameter handling costs more than the database
    itself for 100,000 rows. The typed columns (dates, times, booleans) go
    through the dialect's own bind processors, once per distinct value, and
    scalar column defaults are filled in, so the stored rows are exactly what
    a Core ``insert(table)`` executemany would store. Drivers of another
    parameter style, and callable defaults, take that Core path instead.
    """
    if not rows:
        return
    conn = session.connection()
    dialect = conn.dialect
    mark = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(dialect.paramstyle)
    defaults: dict[str, Any] = {}
    portable = mark is None
    for c in table.columns:
        if c.name in names or c.default is None:
            continue
        if getattr(c.default, "is_scalar", False):
            defaults[c.name] = getattr(c.default, "arg", None)
        else:
            portable = True
    if portable:
        session.execute(insert(table), [dict(zip(names, r, strict=True)) for r in rows])
        return
    all_names = (*names, *defaults)
    extra = tuple(defaults.values())
    convert: list[tuple[int, Any, dict[Any, Any]]] = []
    for n, name in enumerate(all_names):
        proc = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if proc is not None:
            convert.append((n, proc, {}))
    values: list[Any] = []
    for r in rows:
        row = [*r, *extra]
        for n, proc, seen in convert:
            v = row[n]
            if v is not None:
                try:
                    row[n] = seen[v]
                except KeyError:
                    row[n] = seen[v] = proc(v)
                except TypeError:  # unhashable
                    row[n] = proc(v)
        values.append(tuple(row))
    sql = (
        f"INSERT INTO {table.name} ({', '.join(all_names)}) "
        f"VALUES ({', '.join([mark or '?'] * len(all_names))})"
    )
    for n in range(0, len(values), 50_000):
        conn.exec_driver_sql(sql, values[n : n + 50_000])
