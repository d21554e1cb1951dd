"""Every store test runs on SQLite and on a real PostgreSQL server (the store of a hub): the ``url`` fixture of
tests/conftest.py."""
