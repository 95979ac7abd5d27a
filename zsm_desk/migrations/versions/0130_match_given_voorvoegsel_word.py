"""match keys: a first given name that is a voorvoegsel word (issue 12)

A voornamen field whose first word is a voorvoegsel word was always read as
a surname that landed in the given-name field ("de Vries", exchanged
fields), its given names glued into one word. With two or more given names
after it ("Ten Daniel Zakaria") it is now read as given names, so a slip in
such a first name ("Teun") is compared instead of meeting the twin veto.
The stored keys and weights are dropped; they are rebuilt from the register
markings on the next match (services.registers.match_store.load_model), as
0103 did.

Revision ID: 0130_match_given
Revises: 0103_match_sur_lit
"""

from alembic import op

revision = "0130_match_given"
down_revision = "0103_match_sur_lit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM match_key")
    op.execute("DELETE FROM setting WHERE key = 'match_model'")


def downgrade() -> None:
    # The keys stay: the older code reads them as they are, and the few a
    # voorvoegsel word as first name changed are rebuilt with the next
    # register change of their marking.
    pass
