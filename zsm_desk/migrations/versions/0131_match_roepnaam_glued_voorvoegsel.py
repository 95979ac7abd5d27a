"""match keys: a roepnaam in brackets, a voorvoegsel glued to the surname (issue 12)

"Cornelis (Kees)" read Kees as a second given name, which "Cornelis
Johannes" contradicts; a listed roepnaam in brackets or quotes is now left
out of the given names. "Dejong", "Vandenberg": a voorvoegsel glued to the
surname made it "anders" against "de Jong"; the form without it is now a
secondary surname key. Both change stored keys: they and the weights are
dropped and rebuilt from the register markings on the next match
(services.registers.match_store.load_model), as 0103 and 0130 did.

Revision ID: 0131_match_beside
Revises: 0130_match_given
"""

from alembic import op

revision = "0131_match_beside"
down_revision = "0130_match_given"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM match_key")
    op.execute("DELETE FROM setting WHERE key = 'match_model'")


def downgrade() -> None:
    # The keys stay: the older code reads them as they are, and the few
    # these forms changed are rebuilt with the next register change of
    # their marking.
    pass
