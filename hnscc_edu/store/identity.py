"""Who the learner is: the hub's user name when there is a hub, else a configured id, else one made on this machine."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import platformdirs

_SAFE = re.compile(r"[^A-Za-z0-9_.@-]")


def learner_id() -> str:
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
