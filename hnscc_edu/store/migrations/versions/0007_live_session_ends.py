"""Store version 7: live sessions end (``live_sessions.ended_at``: the presenter ended it; ``last_active_at``: the
presenter's last action, from which a session that has been left idle expires)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hnscc_edu.store import migrations

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    columns = {c["name"] for c in sa.inspect(conn).get_columns("live_sessions")}
    with op.batch_alter_table("live_sessions") as batch:
        if "ended_at" not in columns:
            batch.add_column(sa.Column("ended_at", sa.DateTime(timezone=True)))
        if "last_active_at" not in columns:
            batch.add_column(sa.Column("last_active_at", sa.DateTime(timezone=True)))
    # a session from before: its last presenter action is unknown, so it counts from its start
    op.execute(sa.text("UPDATE live_sessions SET last_active_at = created_at WHERE last_active_at IS NULL"))
    migrations.record(conn, 7, "live sessions end: by the presenter, or after a time without presenter actions")


def downgrade() -> None:
    raise NotImplementedError("The store is only ever upgraded; restore the backup to go back.")
