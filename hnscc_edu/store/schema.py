"""Every table of the course store, in one place: the layout the migrations (``store/migrations``) bring every store
to. A table added here needs a migration that creates it; ``tests/hardening/test_migration.py`` compares a store
built by the migrations with these definitions and fails on any difference.

Layout versions, one Alembic revision each (the revision files say what each changes):
1 (``0001``): the first release: attempts and case moves, the live polls, the path to credit.
2 (``0002``): one attempt per (learner, context, context_id, run, item_id), enforced by a unique index; ``schema_info``.
3 (``0003``): signed certificates (``certificates.signature``) and their revocation (``certificate_revocations``).
4 (``0004``): the full evaluation: intent to change per objective, rated questions (``evaluation_answers``), barriers.
5 (``0005``): the follow-up of commitments to change (``follow_ups``).
6 (``0006``): grade passbacks to the LMS. 7 (``0007``): live sessions end (``ended_at``, ``last_active_at``).
8 (``0008``): live-poll votes count by receipt time (``polls.round_at``, ``polls.locked_at``).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

attempts = Table(
    "attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("learner_id", String(200), nullable=False, index=True),
    Column("context", String(20), nullable=False),  # "case" or "bank"
    Column("context_id", String(100), nullable=False),
    Column("run", Integer, nullable=False),
    Column("stage_id", String(100)),
    Column("item_id", String(100), nullable=False),
    Column("response", Text, nullable=False),  # JSON
    Column("score", Float, nullable=False),
    Column("max_score", Float, nullable=False),
    Column("correct", Boolean),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
)

# One answer per item per run: a double click or a second tab racing the first cannot add a second row (version 2).
ANSWER_KEY = ("learner_id", "context", "context_id", "run", "item_id")
answer_index = Index("uq_attempts_answer", *(attempts.c[name] for name in ANSWER_KEY), unique=True)
# What the report needs of each answer (Store.answer_rows).
ANSWER_COLUMNS = ("id", *ANSWER_KEY, "response", "score", "max_score", "correct")

case_moves = Table(
    "case_moves",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("learner_id", String(200), nullable=False, index=True),
    Column("case_id", String(100), nullable=False),
    Column("run", Integer, nullable=False),
    Column("event", String(20), nullable=False),  # "advance", "complete" or "restart"
    Column("from_stage", String(100)),
    Column("to_stage", String(100)),
    Column("at", DateTime(timezone=True), nullable=False),
)

# One row per version the store has been brought to (created at, or upgraded to); the highest is the current one.
schema_info = Table(
    "schema_info",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
    Column("note", String(300), nullable=False),
)

# -- live polls (store/live.py) --------------------------------------------------------------------------------------
live_sessions = Table(
    "live_sessions",
    metadata,
    Column("code", String(12), primary_key=True),
    Column("title", String(300), nullable=False),
    Column("token_hash", String(64), nullable=False),  # SHA-256 of the presenter token; the token is never stored
    Column("min_votes", Integer, nullable=False),
    Column("current_poll", Integer),  # the poll participants see; no foreign key, since polls point back here
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True)),  # the presenter ended it (store version 7)
    Column("last_active_at", DateTime(timezone=True)),  # the presenter's last action: an idle session expires
)

polls = Table(
    "polls",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "session_code", String(12), ForeignKey("live_sessions.code", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("item_id", String(100)),  # the case item polled, when it is one
    Column("phase", String(10)),  # "pre" (before discussion), "post" (after) or NULL
    Column("question", Text, nullable=False),
    Column("choices", Text, nullable=False),  # JSON [{"id", "text"}] in display order; fixed once the poll opens
    Column("state", String(10), nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    # version 8: votes count by when the server received them: from round_at (opening or last reset) to locked_at
    Column("round_at", DateTime(timezone=True)),
    Column("locked_at", DateTime(timezone=True)),
)

votes = Table(
    "votes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("poll_id", Integer, ForeignKey("polls.id", ondelete="CASCADE"), nullable=False),
    Column("participant", String(64), nullable=False),
    Column("choice", String(100), nullable=False),
    Column("voted_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("poll_id", "participant", name="uq_votes_poll_participant"),
)

# -- the path to credit (store/credit.py) ----------------------------------------------------------------------------
path_events = Table(
    "path_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("learner_id", String(200), nullable=False, index=True),
    Column("event", String(40), nullable=False),
    Column("data", Text, nullable=False),  # JSON
    Column("at", DateTime(timezone=True), nullable=False),
)

evaluations = Table(
    "evaluations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("learner_id", String(200), nullable=False, index=True),
    Column("free_of_bias", Boolean, nullable=False),
    Column("bias_comment", Text),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("barrier_comment", Text),  # version 4: what else could stop the learner changing practice
)

evaluation_objectives = Table(
    "evaluation_objectives",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("evaluation_id", Integer, ForeignKey("evaluations.id"), nullable=False, index=True),
    Column("learner_id", String(200), nullable=False),
    Column("objective_id", String(100), nullable=False),
    Column("met", String(10), nullable=False),  # "yes", "partly" or "no"
    Column("commitment", Text),  # the change in practice the learner commits to (may be empty)
    Column("intent", String(30)),  # version 4: "will change", "already do this" or "no change planned"
)

# One row per chosen answer to a rated evaluation question (version 4; rules/evaluation.py lists the questions):
# question "relevance" -> choice "agree"; a question with several answers (barriers) has a row per choice.
evaluation_answers = Table(
    "evaluation_answers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("evaluation_id", Integer, ForeignKey("evaluations.id"), nullable=False, index=True),
    Column("learner_id", String(200), nullable=False),
    Column("question", String(40), nullable=False),
    Column("choice", String(60), nullable=False),
)

attestations = Table(
    "attestations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("learner_id", String(200), nullable=False, index=True),
    Column("full_name", String(200), nullable=False),
    Column("minutes", Integer, nullable=False),
    Column("credit", Float, nullable=False),
    Column("attested_at", DateTime(timezone=True), nullable=False),
)

certificates = Table(
    "certificates",
    metadata,
    Column("certificate_id", String(40), primary_key=True),
    Column("learner_id", String(200), nullable=False),
    Column("payload", Text, nullable=False),  # canonical JSON: everything the certificate states
    Column("sha256", String(64), nullable=False),  # the store's digest of the payload (its own integrity check)
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("signature", String(200)),  # the provider's Ed25519 signature of the payload, base64 (version 3)
    UniqueConstraint("learner_id", name="uq_certificates_learner"),  # one certificate per learner, even when racing
)

# One row per revoked certificate (version 3): a certificate is revoked once, with the reason and the time.
certificate_revocations = Table(
    "certificate_revocations",
    metadata,
    Column("certificate_id", String(40), ForeignKey("certificates.certificate_id"), primary_key=True),
    Column("reason", Text, nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=False),
)

# The follow-up of commitments to change, 60-90 days after the evaluation (version 5; rules/follow_up.py): one row
# per committed objective, with what the learner reports and what got in the way.
follow_ups = Table(
    "follow_ups",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("learner_id", String(200), nullable=False, index=True),
    Column("objective_id", String(100), nullable=False),
    Column("outcome", String(30), nullable=False),
    Column("barriers", Text),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("learner_id", "objective_id", name="uq_follow_ups_learner_objective"),  # answered once
)

# Scores owed to an LMS gradebook (LTI Advantage, on a hub launched from an LMS): written when a learner passes the
# post-test, sent by the course server, retried until the LMS accepts them; never in the learner's way.
grade_passbacks = Table(
    "grade_passbacks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("learner_id", String(200), nullable=False, index=True),
    Column("score_given", Float, nullable=False),
    Column("score_maximum", Float, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_try_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    Column("last_error", Text),
)

LIVE_TABLES = (live_sessions, polls, votes)
CREDIT_TABLES = (
    path_events,
    evaluations,
    evaluation_objectives,
    evaluation_answers,
    attestations,
    certificates,
    certificate_revocations,
    follow_ups,
)
