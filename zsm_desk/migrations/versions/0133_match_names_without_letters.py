"""match keys: words without a letter are no given names; international roepnamen (issue 12)

A given-name field such as "(1860-1945)" gave empty given names, and their
blank-only key made training and matching fail. Words without a letter are
now left out, and a roepnaam in brackets from the international families
("William (Bill)", `names.ROEPNAMEN_INTERNATIONAAL`) is left out beside the
official name, as a Dutch one was. Both change stored keys: they and the
weights are dropped and rebuilt from the register markings on the next
match (services.registers.match_store.load_model), as 0131 and 0132 did.

Revision ID: 0133_match_letters
Revises: 0132_match_double
"""

from alembic import op

revision = "0133_match_letters"
down_revision = "0132_match_double"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM match_key")
    op.execute("DELETE FROM setting WHERE key = 'match_model'")


def downgrade() -> None:
    # The keys stay: the older code reads them as they are (a blank-only
    # key is what it would have stored itself).
    pass
