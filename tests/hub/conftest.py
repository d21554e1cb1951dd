"""The hub tests use the session's Chromium (``browser`` in tests/conftest.py), as the browser tests do."""
