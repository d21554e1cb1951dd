"""Persistence of attempts and progress (SQLite by default; any SQLAlchemy URL).

``Store``, ``CaseHistory`` and ``default_url`` load the database layer (SQLAlchemy) when first used: a learner's
kernel on a course page only catches ``StoreError`` and asks for its ``learner_id``, and a dashboard that does not
load SQLAlchemy is ready sooner."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import StoreError
from .identity import learner_id

if TYPE_CHECKING:
    from .database import CaseHistory, Store, default_url

__all__ = ["CaseHistory", "Store", "StoreError", "default_url", "learner_id"]

_FROM_DATABASE = frozenset({"CaseHistory", "Store", "default_url"})


def __getattr__(name: str) -> Any:
    if name in _FROM_DATABASE:
        return getattr(importlib.import_module(f"{__name__}.database"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
