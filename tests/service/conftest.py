"""The course service's tests run on SQLite and on a real PostgreSQL server (the store of a hub), like the store's:
the ``url`` fixture of tests/conftest.py."""
