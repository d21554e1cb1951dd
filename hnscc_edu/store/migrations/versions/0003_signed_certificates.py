"""Store version 3: certificates carry the provider's Ed25519 signature (``certificates.signature``) and can be revoked
(``certificate_revocations``, one row per revoked certificate). Certificates issued before keep their record and are
signed when next re-issued."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hnscc_edu.store import migrations

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    tables = sa.inspect(conn)
    if "signature" not in {column["name"] for column in tables.get_columns("certificates")}:
        op.add_column("certificates", sa.Column("signature", sa.String(200)))
    if not tables.has_table("certificate_revocations"):
        op.create_table(
            "certificate_revocations",
            sa.Column("certificate_id", sa.String(40), sa.ForeignKey("certificates.certificate_id"), primary_key=True),
            sa.Column("reason", sa.Text, nullable=False),
            sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=False),
        )
    issued = conn.execute(sa.text("SELECT COUNT(*) FROM certificates")).scalar()
    unsigned = conn.execute(sa.text("SELECT COUNT(*) FROM certificates WHERE signature IS NULL")).scalar()
    note = (
        "no certificates yet; certificates will be signed and can be revoked"
        if not issued
        else f"certificates are signed and can be revoked; {unsigned} certificate(s) issued before are signed when "
        "next re-issued"
    )
    migrations.record(conn, 3, note)


def downgrade() -> None:
    raise NotImplementedError("The store is only ever upgraded; restore the backup to go back.")
