"""The hardening tests run on a real SQLite file and on a real PostgreSQL server, like the store tests: the
``url`` fixture of tests/conftest.py."""
