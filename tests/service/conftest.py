"""The course service's tests run on SQLite and on a real PostgreSQL server (the store of a hub), like the store's:
the ``url`` fixture of tests/conftest.py. Those that run as on a hub ask a stand-in for the hub's API who a token
belongs to (``hub``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.hub_api_stand_in import hub_api


@pytest.fixture
def hub() -> Iterator[str]:
    """The address of a stand-in for JupyterHub's API (tests/hub_api_stand_in.py), which knows a few tokens."""
    with hub_api() as url:
        yield url
