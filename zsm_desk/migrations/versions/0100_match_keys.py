"""persisted match keys of register markings (issue 12)

Adds `match_key`: one row per register marking with the normalised fields
the evidence model compares and nine indexed blocking keys. Existing
markings get their keys on the first match after the upgrade
(services.registers.match_store.ensure_current).

Revision ID: 0100_match
Revises: 0120_table
"""

import sqlalchemy as sa
from alembic import op

revision = "0100_match"
down_revision = "0120_table"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "match_key",
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("sur", sa.String(length=200), nullable=False),
        sa.Column("sur_parts", sa.String(length=400), nullable=False),
        sa.Column("giv", sa.String(length=200), nullable=False),
        sa.Column("initials", sa.Boolean(), nullable=False),
        sa.Column("letters", sa.String(length=40), nullable=False),
        sa.Column("datum", sa.String(length=8), nullable=False),
        sa.Column("bsn", sa.String(length=9), nullable=False),
        sa.Column("bsn_raw", sa.String(length=20), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("gem", sa.String(length=100), nullable=False),
        sa.Column("k_bsn", sa.String(length=9), nullable=False),
        sa.Column("k_ds", sa.String(length=12), nullable=False),
        sa.Column("k_dg", sa.String(length=12), nullable=False),
        sa.Column("k_sy", sa.String(length=20), nullable=False),
        sa.Column("k_sym", sa.String(length=20), nullable=False),
        sa.Column("k_syd", sa.String(length=20), nullable=False),
        sa.Column("k_gym", sa.String(length=20), nullable=False),
        sa.Column("k_gyd", sa.String(length=20), nullable=False),
        sa.Column("k_sgd", sa.String(length=24), nullable=False),
        sa.ForeignKeyConstraint(["marking_id"], ["register_marking.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("marking_id"),
    )
    for col in ("k_bsn", "k_ds", "k_dg", "k_sy", "k_sym", "k_syd", "k_gym", "k_gyd", "k_sgd"):
        op.create_index(f"ix_match_key_{col}", "match_key", [col])


def downgrade() -> None:
    op.drop_table("match_key")
