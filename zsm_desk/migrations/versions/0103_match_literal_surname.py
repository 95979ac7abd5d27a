"""surname as written in match_key (issue 12, typos the skeleton widens)

Adds `match_key.sur_lit`: the folded surname field, letters only, so that a
slip inside a letter group the spelling skeleton rewrites (Bunsfhoten
against Bunschoten, Boxch against Bosch) is compared as written, one letter
off, instead of as two skeletons three letters apart. The stored keys and
weights are dropped; they are rebuilt from the register markings on the
next match (services.registers.match_store.load_model).

Revision ID: 0103_match_sur_lit
Revises: 0102_match_md
"""

import sqlalchemy as sa
from alembic import op

revision = "0103_match_sur_lit"
down_revision = "0102_match_md"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM match_key")
    op.execute("DELETE FROM setting WHERE key = 'match_model'")
    with op.batch_alter_table("match_key") as batch:
        batch.add_column(
            sa.Column("sur_lit", sa.String(length=200), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("match_key") as batch:
        batch.drop_column("sur_lit")
