"""outbox: send lease owner, confirmation for unsecured mail, digest index

* ``sending_by``: who holds the send lease (``host:pid``) while
  ``sending_since`` is set, so a desk can tell a crashed sender on its own
  machine from one that is still busy (see services/outbox.py).
* ``bevestigd_onbeveiligd``: the user confirmed sending this message to a
  veiligheidshuis without secure mail (``beveiligde_mail = false``).
* index on ``digest_id`` (members of a daily digest).

Plain ADD COLUMN with a constant server default: SQLite does this without
re-creating the table (which would fire ON DELETE SET NULL on references).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sending_by", sa.String(length=100), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column(
                "bevestigd_onbeveiligd", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch_op.create_index(
            batch_op.f("ix_outbox_message_digest_id"), ["digest_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_message_digest_id"))
        batch_op.drop_column("bevestigd_onbeveiligd")
        batch_op.drop_column("sending_by")
