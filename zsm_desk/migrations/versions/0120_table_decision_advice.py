"""decision: the advice it weighed, and corrections

Adds to `decision` the date and freshness of the VH advice the decision
weighed (an old advice is still an advice, issue 13 §2), and when the
decision was last corrected (issue 13 §6; the reason is in the audit).

Revision ID: 0120_table
Revises: 0110
"""

import sqlalchemy as sa
from alembic import op

revision = "0120_table"
down_revision = "0110"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("decision") as b:
        b.add_column(sa.Column("advies_datum", sa.Date(), nullable=True))
        b.add_column(sa.Column("advies_actualiteit", sa.String(length=24), nullable=True))
        b.add_column(sa.Column("gecorrigeerd_op", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("decision") as b:
        b.drop_column("gecorrigeerd_op")
        b.drop_column("advies_actualiteit")
        b.drop_column("advies_datum")
