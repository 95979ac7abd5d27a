"""match keys: a double surname written with a blank (issue 12)

"Smit de Vries", "Rodrigues da Silva": a double surname written with a blank
instead of a hyphen was one name, "anders" against "de Vries" or "Silva"
alone; its two names, split where a voorvoegsel starts the second, are now
secondary surname keys, as a hyphen's parts are. That changes stored keys:
they and the weights are dropped and rebuilt from the register markings on
the next match (services.registers.match_store.load_model), as 0131 did.

Revision ID: 0132_match_double
Revises: 0131_match_beside
"""

from alembic import op

revision = "0132_match_double"
down_revision = "0131_match_beside"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM match_key")
    op.execute("DELETE FROM setting WHERE key = 'match_model'")


def downgrade() -> None:
    # The keys stay: the older code reads them as they are, and the few
    # this form changed are rebuilt with the next register change of their
    # marking.
    pass
