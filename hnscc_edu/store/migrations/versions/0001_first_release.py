"""Store version 1, the first release: answers (attempts) and moves through cases, the live polls, the path to credit.

Written out here as it was, on purpose: the current tables (store/schema.py) move on, this revision must not. A table
that exists is kept as it is (stores from before Alembic may hold any of them).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _timestamp(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _learner(index: bool = True) -> sa.Column:
    return sa.Column("learner_id", sa.String(200), nullable=False, index=index)


def tables() -> list[tuple[str, list]]:
    """(name, columns and constraints) of every version-1 table, parents before children."""
    return [
        (
            "attempts",
            [
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                _learner(),
                sa.Column("context", sa.String(20), nullable=False),
                sa.Column("context_id", sa.String(100), nullable=False),
                sa.Column("run", sa.Integer, nullable=False),
                sa.Column("stage_id", sa.String(100)),
                sa.Column("item_id", sa.String(100), nullable=False),
                sa.Column("response", sa.Text, nullable=False),
                sa.Column("score", sa.Float, nullable=False),
                sa.Column("max_score", sa.Float, nullable=False),
                sa.Column("correct", sa.Boolean),
                _timestamp("submitted_at"),
            ],
        ),
        (
            "case_moves",
            [
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                _learner(),
                sa.Column("case_id", sa.String(100), nullable=False),
                sa.Column("run", sa.Integer, nullable=False),
                sa.Column("event", sa.String(20), nullable=False),
                sa.Column("from_stage", sa.String(100)),
                sa.Column("to_stage", sa.String(100)),
                _timestamp("at"),
            ],
        ),
        (
            "live_sessions",
            [
                sa.Column("code", sa.String(12), primary_key=True),
                sa.Column("title", sa.String(300), nullable=False),
                sa.Column("token_hash", sa.String(64), nullable=False),
                sa.Column("min_votes", sa.Integer, nullable=False),
                sa.Column("current_poll", sa.Integer),
                _timestamp("created_at"),
            ],
        ),
        (
            "polls",
            [
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                sa.Column(
                    "session_code",
                    sa.String(12),
                    sa.ForeignKey("live_sessions.code", ondelete="CASCADE"),
                    nullable=False,
                    index=True,
                ),
                sa.Column("item_id", sa.String(100)),
                sa.Column("phase", sa.String(10)),
                sa.Column("question", sa.Text, nullable=False),
                sa.Column("choices", sa.Text, nullable=False),
                sa.Column("state", sa.String(10), nullable=False),
                _timestamp("opened_at"),
                _timestamp("changed_at"),
            ],
        ),
        (
            "votes",
            [
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                sa.Column("poll_id", sa.Integer, sa.ForeignKey("polls.id", ondelete="CASCADE"), nullable=False),
                sa.Column("participant", sa.String(64), nullable=False),
                sa.Column("choice", sa.String(100), nullable=False),
                _timestamp("voted_at"),
                sa.UniqueConstraint("poll_id", "participant", name="uq_votes_poll_participant"),
            ],
        ),
        (
            "path_events",
            [
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                _learner(),
                sa.Column("event", sa.String(40), nullable=False),
                sa.Column("data", sa.Text, nullable=False),
                _timestamp("at"),
            ],
        ),
        (
            "evaluations",
            [
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                _learner(),
                sa.Column("free_of_bias", sa.Boolean, nullable=False),
                sa.Column("bias_comment", sa.Text),
                _timestamp("submitted_at"),
            ],
        ),
        (
            "evaluation_objectives",
            [
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                sa.Column("evaluation_id", sa.Integer, sa.ForeignKey("evaluations.id"), nullable=False, index=True),
                _learner(index=False),
                sa.Column("objective_id", sa.String(100), nullable=False),
                sa.Column("met", sa.String(10), nullable=False),
                sa.Column("commitment", sa.Text),
            ],
        ),
        (
            "attestations",
            [
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                _learner(),
                sa.Column("full_name", sa.String(200), nullable=False),
                sa.Column("minutes", sa.Integer, nullable=False),
                sa.Column("credit", sa.Float, nullable=False),
                _timestamp("attested_at"),
            ],
        ),
        (
            "certificates",
            [
                sa.Column("certificate_id", sa.String(40), primary_key=True),
                _learner(index=False),
                sa.Column("payload", sa.Text, nullable=False),
                sa.Column("sha256", sa.String(64), nullable=False),
                _timestamp("issued_at"),
                sa.UniqueConstraint("learner_id", name="uq_certificates_learner"),
            ],
        ),
    ]


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    for name, columns in tables():
        if name not in existing:
            op.create_table(name, *columns)


def downgrade() -> None:
    raise NotImplementedError("The store is only ever upgraded; restore the backup to go back.")
