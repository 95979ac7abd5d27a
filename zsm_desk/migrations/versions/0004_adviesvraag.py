"""adviesvraag metadata and screenings

Adds `adviesvraag_meta` (reference, cause, actual send moment of a question;
one row per adviesvraag, deleted with it) and `screening` (ticked criteria of
a screening checklist per suspect, deleted with the suspect).

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "adviesvraag_meta",
        sa.Column("adviesvraag_id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("aanleiding", sa.String(length=40), nullable=False),
        sa.Column("verzonden_op", sa.DateTime(), nullable=True),
        sa.Column("zonder_advies_door", sa.String(length=100), nullable=False),
        sa.Column("zonder_advies_voor_termijn", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["adviesvraag_id"], ["adviesvraag.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("adviesvraag_id"),
        sa.UniqueConstraint("ref"),
    )
    op.create_table(
        "screening",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("checklist", sa.String(length=64), nullable=False),
        sa.Column("checklist_naam", sa.String(length=200), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("voorstel", sa.Boolean(), nullable=False),
        sa.Column("voorstel_tekst", sa.Text(), nullable=False),
        sa.Column("uitleg", sa.Text(), nullable=False),
        sa.Column("door", sa.String(length=100), nullable=False),
        sa.Column("op", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["instroom_item.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("screening", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_screening_item_id"), ["item_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("screening", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_screening_item_id"))
    op.drop_table("screening")
    op.drop_table("adviesvraag_meta")
