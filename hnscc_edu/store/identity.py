"""Who the learner is: the hub's user name when there is a hub, else a configured id, else one made on this machine."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import platformdirs

_SAFE = re.compile(r"[^A-Za-z0-9_.@-]")
_viewer_arrived = False


def wait_for_viewer() -> None:
    """Hold a Voila pre-heated kernel here until someone opens the page; anywhere else, return at once.

    Voila pre-heats a kernel by running the notebook before anyone asks for it. The course's imports and content may
    load then, but nothing read from the store may: a learner who answered in another tab since would otherwise see
    the kernel's stale copy. Voila's own helper pauses until the request arrives; it may be waited for only once.
    Opening a ``Store`` calls this, and so does ``learner_id`` (the request may carry who the viewer is).
    """
    global _viewer_arrived
    if _viewer_arrived or os.environ.get("VOILA_PREHEAT", "False") == "False":
        return
    from voila.utils import wait_for_request  # only ever imported inside a pre-heated Voila kernel

    wait_for_request()
    _viewer_arrived = True


def learner_id() -> str:
    """The learner's id; in a pre-heated Voila kernel, only once the page has been opened (``wait_for_viewer``)."""
    wait_for_viewer()
    for variable in ("JUPYTERHUB_USER", "HNSCC_EDU_LEARNER_ID"):
        value = os.environ.get(variable, "").strip()
        if value:
            return _SAFE.sub("_", value)[:200]
    folder = Path(platformdirs.user_data_dir("hnscc-edu", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "learner-id"
    if path.exists():
        value = path.read_text(encoding="utf-8").strip()
        if value:
            return value
    value = f"local-{uuid.uuid4().hex[:12]}"
    path.write_text(value + "\n", encoding="utf-8")
    return value
