"""Store version 6: scores owed to an LMS gradebook (``grade_passbacks``: one row per passed post-test of a learner
launched from an LMS, kept until the LMS has accepted the score)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hnscc_edu.store import migrations

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    if not sa.inspect(conn).has_table("grade_passbacks"):
        op.create_table(
            "grade_passbacks",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("learner_id", sa.String(200), nullable=False, index=True),
            sa.Column("score_given", sa.Float, nullable=False),
            sa.Column("score_maximum", sa.Float, nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("attempts", sa.Integer, nullable=False),
            sa.Column("next_try_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("sent_at", sa.DateTime(timezone=True)),
            sa.Column("last_error", sa.Text),
        )
    migrations.record(conn, 6, "scores owed to an LMS gradebook (LTI Advantage grade passback)")


def downgrade() -> None:
    raise NotImplementedError("The store is only ever upgraded; restore the backup to go back.")
