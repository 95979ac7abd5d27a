"""After a purge commits: leave nothing readable in the SQLite files beside the database.

`mark_purged(session)` in the purging transaction; after its commit:

* the WAL is checkpointed and truncated (``PRAGMA wal_checkpoint(TRUNCATE)``),
  so no page copy with the person lingers in ``-wal`` (``secure_delete`` is
  on for every connection, so the main file holds zeros where the rows were);
* migration backups beside the file are overwritten and removed.

PostgreSQL keeps dead row versions in its data files until the pages are
reused; see docs/meerdere-desks.md for what a location must do about it.
"""

from __future__ import annotations

import logging

from sqlalchemy import event
from sqlalchemy.orm import Session

from zsm_desk.services.storage.db import remove_backups, sqlite_path

log = logging.getLogger(__name__)

_FLAG = "zsm_purged"


def mark_purged(session: Session) -> None:
    session.info[_FLAG] = True


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if not session.info.pop(_FLAG, False):
        return
    engine = session.get_bind().engine
    if engine.dialect.name != "sqlite":
        return
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except Exception as e:  # never fail the purge that already committed
        log.warning("WAL na opschoning niet geleegd (%s)", type(e).__name__)
    remove_backups(sqlite_path(engine.url.render_as_string(hide_password=False)))


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_FLAG, None)
