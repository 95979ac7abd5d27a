"""Alembic environment: run against the connection ZSM Desk hands over."""

from __future__ import annotations

from alembic import context

import zsm_desk.services.storage.models_adviesvraag
import zsm_desk.services.storage.models_match  # noqa: F401  (its tables belong to the metadata)
from zsm_desk.services.storage.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # `alembic` command line for developers
        from sqlalchemy import create_engine

        connection = create_engine(config.get_main_option("sqlalchemy.url") or "").connect()
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite needs batch mode for ALTER
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
