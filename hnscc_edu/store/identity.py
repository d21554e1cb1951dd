"""Who the learner is: the hub's user name when there is a hub, else a configured id, else one made on this machine."""

from __future__ import annotations

import json
import os
import re
import threading
import uuid
from pathlib import Path

import platformdirs

_SAFE = re.compile(r"[^A-Za-z0-9_.@-]")
_viewer_arrived = False
_viewer_lock = threading.Lock()  # one wait for the request, whichever thread asks first (ui.viewer waits in a thread)
# Set by the Voila route hook in the server's environment (kernels inherit it): this server shows each page to
# anyone who opens it, without a hub, so a machine-local id would be shared by every viewer.
SHARED_VIEWERS_VARIABLE = "HNSCC_EDU_SHARED_VIEWERS"
SHARED_ID_MESSAGE = (
    "This page is served to everyone who opens it, without a sign-in, so it cannot tell you apart "
    "from other viewers: your progress is not saved here, because it would be mixed with theirs. "
    "To keep your progress, open the course in your own JupyterLab ('make course') or on your "
    "institution's course hub."
)


def announcement_path(port: int | str) -> Path:
    """Where a server on this machine announces its course service to kernels that started before it could put the
    address in their environment (Voila's pre-heated kernels): the Jupyter runtime folder, one file per port."""
    from jupyter_core.paths import jupyter_runtime_dir

    return Path(jupyter_runtime_dir()) / f"hnscc-edu-service-{int(port)}.json"


def announcement(environ=None) -> dict:
    """The course service announced by this kernel's Voila server (``VOILA_APP_PORT``), or {} when there is none."""
    environ = os.environ if environ is None else environ
    port = environ.get("VOILA_APP_PORT", "").strip()
    if not port.isdigit():
        return {}
    try:
        data = json.loads(announcement_path(port).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def shared_viewers(environ=None) -> bool:
    """True in a kernel of a server that shows its pages to anyone without a sign-in (standalone Voila)."""
    environ = os.environ if environ is None else environ
    return environ.get(SHARED_VIEWERS_VARIABLE) == "1" or announcement(environ).get("shared_viewers") is True


class SharedLearnerId(LookupError):
    """No learner id of one's own: a server without a hub shows the course to several people (standalone Voila)."""


def safe_id(value: str) -> str:
    """A learner id as the store keeps it: letters, digits and ``_.@-`` only, at most 200 characters."""
    return _SAFE.sub("_", value.strip())[:200]


def configured_learner_id(environ=None) -> str | None:
    """The hub's user name, else ``HNSCC_EDU_LEARNER_ID``, when either is set."""
    environ = os.environ if environ is None else environ
    for variable in ("JUPYTERHUB_USER", "HNSCC_EDU_LEARNER_ID"):
        value = environ.get(variable, "").strip()
        if value:
            return safe_id(value)
    return None


def wait_for_viewer() -> None:
    """Hold a Voila pre-heated kernel here until someone opens the page; anywhere else, return at once.

    Voila pre-heats a kernel by running the notebook before anyone asks for it. The course's imports and content may
    load then, but nothing read from the store may: a learner who answered in another tab since would otherwise see
    the kernel's stale copy. Voila's own helper pauses until the request arrives; it may be waited for only once.
    Opening a ``Store`` calls this, and so does ``learner_id`` (the request may carry who the viewer is).
    """
    global _viewer_arrived
    if not viewer_pending():
        return
    with _viewer_lock:  # Voila answers one waiter per kernel: a second would wait for ever
        if _viewer_arrived:
            return
        from voila.utils import wait_for_request  # only ever imported inside a pre-heated Voila kernel

        wait_for_request()
        _viewer_arrived = True


def viewer_pending() -> bool:
    """True in a Voila pre-heated kernel whose page nobody has opened yet: what it shows now must not be anyone's."""
    return not _viewer_arrived and os.environ.get("VOILA_PREHEAT", "False") != "False"


def learner_id() -> str:
    """The learner's id; in a pre-heated Voila kernel, only once the page has been opened (``wait_for_viewer``).

    Under standalone Voila (no hub) without ``HNSCC_EDU_LEARNER_ID``, SharedLearnerId: one machine-local id would
    put every viewer's progress on one record."""
    wait_for_viewer()
    configured = configured_learner_id()
    if configured:
        return configured
    if shared_viewers():
        raise SharedLearnerId(SHARED_ID_MESSAGE)
    return machine_learner_id()


def machine_learner_id() -> str:
    """The one id of this machine's user (made on first use): for a server only its owner uses (``make course``)."""
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
