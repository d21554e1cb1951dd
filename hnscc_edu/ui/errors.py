"""One error boundary for every widget callback: the learner sees a friendly message, the log gets the detail.

Voila hides tracebacks, so a callback that raises would otherwise fail silently in a dashboard.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import platformdirs

from ..content import safe_html
from ..rules.case_flow import FlowError
from ..rules.grading import InvalidResponse
from ..store import StoreError

log = logging.getLogger("hnscc_edu.ui")


def _log_to_file() -> None:
    """Send the details to a log file beside the store (Voila hides tracebacks; maintainers still need them)."""
    if any(isinstance(h, logging.FileHandler) for h in log.handlers):
        return
    try:
        folder = Path(platformdirs.user_log_dir("hnscc-edu", appauthor=False))
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(folder / "ui.log", encoding="utf-8")
    except OSError:
        return  # a read-only home must not break the course; the message to the learner still shows
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)


class InputError(ValueError):
    """An input the user can correct (a negative dose, a date out of order); the message is written for them."""


# Errors whose message is written for the learner; anything else is a fault of ours, reported generically.
_LEARNER_FACING = (InvalidResponse, FlowError, StoreError, InputError)


FAULT_MESSAGE = (
    "Sorry, something went wrong on our side. Your saved answers are safe; reload the page to continue. "
    "The details were written to the course log."
)


def log_fault(what: str) -> None:
    """Record the current exception with its traceback in the course log (call from an ``except`` block)."""
    _log_to_file()
    log.exception(what)


class ErrorBoundary:
    def __init__(self) -> None:
        self.message = widgets.HTML(value="")
        self.message.add_class("hnscc-message")

    def show(self, text: str, kind: str = "error") -> None:
        # The message may echo what the learner typed (a numeric answer that is not a number): plain text, escaped
        # by the course's one helper.
        icon = "⚠" if kind == "error" else "ℹ"
        self.message.value = (
            f'<div class="hnscc-{kind}" role="alert"><strong>{icon} '
            f"{'Please note' if kind != 'error' else 'Something needs your attention'}:</strong> "
            f"{safe_html.text(text)}</div>"
        )

    def clear(self) -> None:
        self.message.value = ""

    def wrap(self, callback: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(callback)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                self.clear()
                return callback(*args, **kwargs)
            except _LEARNER_FACING as exc:
                self.show(str(exc))
            except Exception:  # noqa: BLE001 - the boundary exists to catch what we did not foresee
                log_fault(f"widget callback {getattr(callback, '__name__', callback)} failed")
                self.show(FAULT_MESSAGE)
            return None

        return guarded
