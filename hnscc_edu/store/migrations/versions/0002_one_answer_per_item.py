"""Store version 2: one answer per (learner, context, context_id, run, item_id). The first answer of each is kept, a
second is refused by a unique index (a double click or a second tab racing the first adds nothing). Starts the
``schema_info`` table, which records every version the store is brought to."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hnscc_edu.store import migrations

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ANSWER_KEY = ("learner_id", "context", "context_id", "run", "item_id")
INDEX = "uq_attempts_answer"


def upgrade() -> None:
    conn = op.get_bind()
    tables = sa.inspect(conn)
    if not tables.has_table("schema_info"):
        op.create_table(
            "schema_info",
            sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("note", sa.String(300), nullable=False),
        )
    if INDEX in {index["name"] for index in tables.get_indexes("attempts")}:
        migrations.record(conn, 2, "one answer per item per run (already enforced)")
        return
    attempts = sa.table("attempts", sa.column("id"), *(sa.column(name) for name in ANSWER_KEY))
    # An alias, so the subquery reads the whole table instead of being correlated with the row being deleted.
    every = attempts.alias("every_attempt")
    first = sa.select(sa.func.min(every.c.id)).group_by(*(every.c[name] for name in ANSWER_KEY))
    removed = conn.execute(sa.delete(attempts).where(attempts.c.id.not_in(first))).rowcount
    op.create_index(INDEX, "attempts", list(ANSWER_KEY), unique=True)
    migrations.record(conn, 2, f"removed {removed} duplicate attempt row(s), keeping the earliest of each")


def downgrade() -> None:
    raise NotImplementedError("The store is only ever upgraded; restore the backup to go back.")
