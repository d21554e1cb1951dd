"""Store version 4: the full evaluation (issue 18 §2), asked of every learner who finishes. Per objective the intent
to change (``evaluation_objectives.intent``); the rated questions, one row per chosen answer
(``evaluation_answers``); and a comment on barriers (``evaluations.barrier_comment``). Evaluations submitted before
keep what they had; their new fields stay empty."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hnscc_edu.store import migrations

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    tables = sa.inspect(conn)
    if "barrier_comment" not in {c["name"] for c in tables.get_columns("evaluations")}:
        op.add_column("evaluations", sa.Column("barrier_comment", sa.Text))
    if "intent" not in {c["name"] for c in tables.get_columns("evaluation_objectives")}:
        op.add_column("evaluation_objectives", sa.Column("intent", sa.String(30)))
    if not tables.has_table("evaluation_answers"):
        op.create_table(
            "evaluation_answers",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("evaluation_id", sa.Integer, sa.ForeignKey("evaluations.id"), nullable=False, index=True),
            sa.Column("learner_id", sa.String(200), nullable=False),
            sa.Column("question", sa.String(40), nullable=False),
            sa.Column("choice", sa.String(60), nullable=False),
        )
    submitted = conn.execute(sa.text("SELECT COUNT(*) FROM evaluations")).scalar()
    migrations.record(
        conn,
        4,
        f"the full evaluation; {submitted} evaluation(s) submitted before keep their answers, "
        "without the new questions",
    )


def downgrade() -> None:
    raise NotImplementedError("The store is only ever upgraded; restore the backup to go back.")
