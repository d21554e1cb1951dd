"""The store's one error type, apart from the store itself, so that code that only catches it (a learner's kernel,
which holds no store) does not load the database layer."""

from __future__ import annotations


class StoreError(RuntimeError):
    """The store could not be read or written; the message says what to do."""
