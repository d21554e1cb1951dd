"""One error boundary for every widget callback: the learner sees a friendly message, the log gets the detail.

Voila hides tracebacks, so a callback that raises would otherwise fail silently in a dashboard.
"""

from __future__ import annotations

import functools
import html
import logging
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from ..engine.case_flow import FlowError
from ..engine.grading import InvalidResponse
from ..store import StoreError

log = logging.getLogger("hnscc_edu.ui")

# Errors whose message is written for the learner; anything else is a fault of ours, reported generically.
_LEARNER_FACING = (InvalidResponse, FlowError, StoreError, LookupError)


class ErrorBoundary:
    def __init__(self) -> None:
        self.message = widgets.HTML(value="")
        self.message.add_class("hnscc-message")

    def show(self, text: str, kind: str = "error") -> None:
        icon = "⚠" if kind == "error" else "ℹ"
        self.message.value = (f'<div class="hnscc-{kind}" role="alert"><strong>{icon} '
                              f'{"Please note" if kind != "error" else "Something needs your attention"}:</strong> '
                              f"{html.escape(text)}</div>")

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
                log.exception("widget callback %s failed", getattr(callback, "__name__", callback))
                self.show("Sorry, something went wrong on our side. Your saved answers are safe; reload the page "
                          "to continue. The details were written to the course log.")
            return None

        return guarded
