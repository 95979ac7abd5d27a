"""first given name as written in match_key (issue 12, twin safety)

Adds `match_key.giv_lit`: the folded first given name, so that a name equal
only on its spelling skeleton (Luc / Luuk) is never `bekend` on its own.
The stored keys and weights are dropped; they are rebuilt from the register
markings on the next match (services.registers.match_store.load_model).

Revision ID: 0101_match_lit
Revises: 0100_match
"""

import sqlalchemy as sa
from alembic import op

revision = "0101_match_lit"
down_revision = "0100_match"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM match_key")
    op.execute("DELETE FROM setting WHERE key = 'match_model'")
    with op.batch_alter_table("match_key") as batch:
        batch.add_column(
            sa.Column("giv_lit", sa.String(length=100), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("match_key") as batch:
        batch.drop_column("giv_lit")
