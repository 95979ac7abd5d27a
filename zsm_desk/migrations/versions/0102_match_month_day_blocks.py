"""month-and-day blocking keys in match_key (issue 12, a year typo with a name typo)

Replaces `k_sgd` (both phonetic names + month and day) by two wider blocks:
`k_smd` (phonetic surname + month and day) and `k_gmd` (phonetic first given
name + month and day). A suspect whose birth year has a digit wrong and whose
first name (or surname) has a typo still meets his register entry; `k_sgd`
needed both names to sound alike. The stored keys and weights are dropped;
they are rebuilt from the register markings on the next match
(services.registers.match_store.load_model).

Revision ID: 0102_match_md
Revises: 0101_match_lit
"""

import sqlalchemy as sa
from alembic import op

revision = "0102_match_md"
down_revision = "0101_match_lit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM match_key")
    op.execute("DELETE FROM setting WHERE key = 'match_model'")
    op.drop_index("ix_match_key_k_sgd", table_name="match_key")
    with op.batch_alter_table("match_key") as batch:
        batch.drop_column("k_sgd")
        batch.add_column(
            sa.Column("k_smd", sa.String(length=24), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("k_gmd", sa.String(length=24), nullable=False, server_default="")
        )
    op.create_index("ix_match_key_k_smd", "match_key", ["k_smd"])
    op.create_index("ix_match_key_k_gmd", "match_key", ["k_gmd"])


def downgrade() -> None:
    op.execute("DELETE FROM match_key")
    op.execute("DELETE FROM setting WHERE key = 'match_model'")
    op.drop_index("ix_match_key_k_smd", table_name="match_key")
    op.drop_index("ix_match_key_k_gmd", table_name="match_key")
    with op.batch_alter_table("match_key") as batch:
        batch.drop_column("k_smd")
        batch.drop_column("k_gmd")
        batch.add_column(
            sa.Column("k_sgd", sa.String(length=24), nullable=False, server_default="")
        )
    op.create_index("ix_match_key_k_sgd", "match_key", ["k_sgd"])
