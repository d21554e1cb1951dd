"""Alembic's entry point for the store's revisions.

Inside the course (``Store()``, ``hnscc-edu upgrade-db``) the revisions run in the transaction that opens the store,
handed over as ``config.attributes["connection"]``. Run by Alembic's own command (``alembic upgrade head`` with the
repository's ``alembic.ini``, for maintainers), they open the store named by ``HNSCC_EDU_DB_URL`` themselves.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from hnscc_edu.store import migrations
from hnscc_edu.store.schema import metadata


def run(conn) -> None:
    context.configure(connection=conn, target_metadata=metadata)
    with context.begin_transaction():  # a no-op when the caller's transaction is already open
        context.run_migrations()


given = context.config.attributes.get("connection")
if given is not None:
    run(given)
elif context.is_offline_mode():
    raise SystemExit("hnscc-edu's store migrations run against a database, not as SQL scripts.")
else:
    from hnscc_edu.store.database import default_url

    engine = create_engine(context.config.get_main_option("sqlalchemy.url") or default_url())
    with engine.begin() as connection:
        migrations.lock(connection)
        run(connection)
    engine.dispose()
