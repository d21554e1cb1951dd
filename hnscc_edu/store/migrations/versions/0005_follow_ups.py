"""Store version 5: the follow-up of commitments to change, 60-90 days after the evaluation (``follow_ups``: one row
per committed objective, answered once)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hnscc_edu.store import migrations

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    if not sa.inspect(conn).has_table("follow_ups"):
        op.create_table(
            "follow_ups",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("learner_id", sa.String(200), nullable=False, index=True),
            sa.Column("objective_id", sa.String(100), nullable=False),
            sa.Column("outcome", sa.String(30), nullable=False),
            sa.Column("barriers", sa.Text),
            sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
            sa.UniqueConstraint("learner_id", "objective_id", name="uq_follow_ups_learner_objective"),
        )
    migrations.record(conn, 5, "follow-ups of commitments to change, 60-90 days after the evaluation")


def downgrade() -> None:
    raise NotImplementedError("The store is only ever upgraded; restore the backup to go back.")
