"""The hardening tests run on a real SQLite file and on a real PostgreSQL server, like the store tests."""

from tests.store.conftest import postgres, url  # noqa: F401 - fixtures re-exported for this folder

__all__ = ["postgres", "url"]
