"""several desks: case claims, keyed audit chain, audit_head protected

* ``item_claim``: who is working on a suspect now (one row per item).
* ``audit_entry.sleutel``: fingerprint of the HMAC key of the entry's hash
  (NULL: an older entry hashed without a key).
* ``audit_head`` can no longer be deleted, truncated, re-inserted or counted
  down; an audit entry must continue the chain at the current head.
* PostgreSQL: every change of claims, decisions, outbox messages, instroom
  items and adviesvragen sends ``NOTIFY zsm_desk`` (payload: what changed and,
  for claims and decisions, the item id), so other desks catch up at once.

Revision ID: 0110
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0110"
down_revision = "0005"
branch_labels = None
depends_on = None


#: (table, topic, trigger level): row level where the item id matters.
NOTIFY_TRIGGERS = (
    ("item_claim", "claim", "ROW"),
    ("decision", "beslissing", "ROW"),
    ("outbox_message", "uitbak", "STATEMENT"),
    ("instroom_item", "import", "STATEMENT"),
    ("adviesvraag", "adviesvraag", "STATEMENT"),
    ("match", "hit", "STATEMENT"),
)


def upgrade() -> None:
    op.create_table(
        "item_claim",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=100), nullable=False),
        sa.Column("naam", sa.String(length=200), nullable=False),
        sa.Column("since", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["instroom_item.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("item_id"),
    )
    op.add_column("audit_entry", sa.Column("sleutel", sa.String(length=16), nullable=True))
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(
            """
            CREATE OR REPLACE FUNCTION zsm_audit_head_guard() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'UPDATE' THEN
                    IF NEW.id <> OLD.id OR NEW.count < OLD.count THEN
                        RAISE EXCEPTION 'audit_head only counts up';
                    END IF;
                    RETURN NEW;
                END IF;
                IF TG_OP = 'INSERT' AND NOT EXISTS (SELECT 1 FROM audit_head) THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION 'audit_head cannot be removed or replaced';
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER audit_head_guard BEFORE INSERT OR UPDATE OR DELETE ON audit_head "
            "FOR EACH ROW EXECUTE FUNCTION zsm_audit_head_guard()"
        )
        op.execute(
            "CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head "
            "FOR EACH STATEMENT EXECUTE FUNCTION zsm_audit_append_only()"
        )
        op.execute(
            """
            CREATE OR REPLACE FUNCTION zsm_audit_continues_chain() RETURNS trigger AS $$
            BEGIN
                IF NEW.prev_hash IS DISTINCT FROM (SELECT last_hash FROM audit_head WHERE id = 1)
                THEN
                    RAISE EXCEPTION 'audit entry does not continue the chain';
                END IF;
                RETURN NEW;
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER audit_entry_continues_chain BEFORE INSERT ON audit_entry "
            "FOR EACH ROW EXECUTE FUNCTION zsm_audit_continues_chain()"
        )
        op.execute("REVOKE DELETE, TRUNCATE, INSERT ON audit_head FROM PUBLIC")
        op.execute(
            """
            CREATE OR REPLACE FUNCTION zsm_notify_change() RETURNS trigger AS $$
            DECLARE
                item integer;
            BEGIN
                IF TG_LEVEL = 'ROW' THEN
                    IF TG_OP = 'DELETE' THEN item := OLD.item_id; ELSE item := NEW.item_id; END IF;
                    PERFORM pg_notify('zsm_desk', TG_ARGV[0] || ':' || coalesce(item::text, ''));
                ELSE
                    PERFORM pg_notify('zsm_desk', TG_ARGV[0] || ':');
                END IF;
                RETURN NULL;
            END;
            $$ LANGUAGE plpgsql
            """
        )
        for table, topic, level in NOTIFY_TRIGGERS:
            op.execute(
                f"CREATE TRIGGER {table}_notify AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"FOR EACH {level} EXECUTE FUNCTION zsm_notify_change('{topic}')"
            )
    else:
        op.execute(
            "CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head "
            "BEGIN SELECT RAISE(ABORT, 'audit_head cannot be removed'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_head_no_insert BEFORE INSERT ON audit_head "
            "WHEN EXISTS (SELECT 1 FROM audit_head) "
            "BEGIN SELECT RAISE(ABORT, 'audit_head cannot be replaced'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_head_counts_up BEFORE UPDATE ON audit_head "
            "WHEN NEW.id <> OLD.id OR NEW.count < OLD.count "
            "BEGIN SELECT RAISE(ABORT, 'audit_head only counts up'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_entry_continues_chain BEFORE INSERT ON audit_entry "
            "WHEN NEW.prev_hash IS NOT (SELECT last_hash FROM audit_head WHERE id = 1) "
            "BEGIN SELECT RAISE(ABORT, 'audit entry does not continue the chain'); END"
        )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table, _topic, _level in NOTIFY_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_notify ON {table}")
        op.execute("DROP FUNCTION IF EXISTS zsm_notify_change()")
        op.execute("DROP TRIGGER IF EXISTS audit_entry_continues_chain ON audit_entry")
        op.execute("DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_head")
        op.execute("DROP TRIGGER IF EXISTS audit_head_guard ON audit_head")
        op.execute("DROP FUNCTION IF EXISTS zsm_audit_continues_chain()")
        op.execute("DROP FUNCTION IF EXISTS zsm_audit_head_guard()")
    else:
        for name in ("audit_entry_continues_chain", "audit_head_counts_up",
                     "audit_head_no_insert", "audit_head_no_delete"):  # fmt: skip
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_column("audit_entry", "sleutel")
    op.drop_table("item_claim")
