"""Persistence of attempts and progress (SQLite by default; any SQLAlchemy URL)."""

from .database import CaseHistory, Store, StoreError, default_url
from .identity import learner_id

__all__ = ["CaseHistory", "Store", "StoreError", "default_url", "learner_id"]
