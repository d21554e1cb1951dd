"""What a page shows of its viewer (their progress in each case, whether they have acknowledged the activity
information) is filled in once the viewer is known.

Anywhere but a Voila pre-heated kernel that is known at once, and a callback runs there and then. A pre-heated kernel
runs its notebook before anyone opens the page (``store.identity.wait_for_viewer``); until the page is requested it
must read nothing of the learner's. Rather than stop the notebook at its first such read (every later cell would then
run while the learner waits), a page draws its boxes in a neutral state and registers what to fill in: one thread
waits for the request and then runs the callbacks in order, changing the widgets already drawn. The whole notebook has
run by then, so the page is sent at once and its viewer's details follow within a moment.

A callback may only change widgets it made (values, children): a thread cannot display new outputs in a cell.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from ..store.identity import viewer_pending, wait_for_viewer
from .errors import log_fault

_lock = threading.Lock()
_pending: list[Callable[[], None]] = []
_waiter: threading.Thread | None = None


def when_viewer_known(callback: Callable[[], None]) -> bool:
    """Run ``callback`` now when the viewer is known, else once the page is requested (in order of registration).
    Returns True when it ran now. A callback that raises is logged; the page keeps what it showed."""
    global _waiter
    with _lock:
        if viewer_pending():
            _pending.append(callback)
            if _waiter is None:
                _waiter = threading.Thread(target=_run_when_requested, name="hnscc-viewer", daemon=True)
                _waiter.start()
            return False
    callback()
    return True


def _run_when_requested() -> None:
    global _waiter
    wait_for_viewer()
    with _lock:  # after the wait no callback is added (viewer_pending is False): these are all of them
        callbacks, _pending[:] = list(_pending), []
        _waiter = None
    for callback in callbacks:
        try:
            callback()
        except Exception:  # noqa: BLE001 - a thread has no cell to show a traceback in; the box keeps its message
            log_fault(f"filling in the viewer's part of the page ({getattr(callback, '__name__', callback)}) failed")
