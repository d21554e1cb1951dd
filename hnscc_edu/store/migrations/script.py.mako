"""${message}

Revision ${up_revision} (after ${down_revision | comma,n}), written ${create_date}.
Add the revision to VERSION_OF and HEAD in hnscc_edu/store/migrations/__init__.py, keep it safe to run over a store
that already has its change, and record what it did with ``record``.
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

from hnscc_edu.store import migrations

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    raise NotImplementedError("The store is only ever upgraded; restore the backup to go back.")
