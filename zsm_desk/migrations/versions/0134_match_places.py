"""match keys: a place written in other ways is one place (issue 12)

"Alphen a/d Rijn" and "Alphen aan den Rijn", "Hengelo (O)" and "Hengelo",
"Nador, Morocco" and "Nador (Marokko)" had other keys, and a pair of them
was held back from `bekend` as "another birth place" (`domain.places`). The
place keys of every marking change: they and the weights are dropped and
rebuilt from the register markings on the next match
(services.registers.match_store.load_model), as 0133 did.

Revision ID: 0134_match_places
Revises: 0133_match_letters
"""

from alembic import op

revision = "0134_match_places"
down_revision = "0133_match_letters"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM match_key")
    op.execute("DELETE FROM setting WHERE key = 'match_model'")


def downgrade() -> None:
    # The older code compares the keys as they are: a qualified key is then
    # simply another place, which is what it made of such a place itself.
    pass
