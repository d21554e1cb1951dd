"""Store version 8: a live poll's votes count by when the server received them (``polls.round_at``: the opening or
the last reset; ``polls.locked_at``: the lock, or a reveal of an open poll), not by when a busy server wrote them."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hnscc_edu.store import migrations

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    columns = {c["name"] for c in sa.inspect(conn).get_columns("polls")}
    with op.batch_alter_table("polls") as batch:
        if "round_at" not in columns:
            batch.add_column(sa.Column("round_at", sa.DateTime(timezone=True)))
        if "locked_at" not in columns:
            batch.add_column(sa.Column("locked_at", sa.DateTime(timezone=True)))
    # a poll from before: its round began when it opened; one that is no longer open was locked at its last change
    op.execute(sa.text("UPDATE polls SET round_at = opened_at WHERE round_at IS NULL"))
    op.execute(sa.text("UPDATE polls SET locked_at = changed_at WHERE locked_at IS NULL AND state <> 'open'"))
    migrations.record(conn, 8, "live-poll votes count by when the server received them (polls.round_at, locked_at)")


def downgrade() -> None:
    raise NotImplementedError("The store is only ever upgraded; restore the backup to go back.")
