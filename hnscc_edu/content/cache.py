"""A validated course kept on disk between processes, so a dashboard kernel or a report run does not parse and lint
every YAML file again (about a second) when nothing changed.

The cache is one file per course folder, under the user's cache directory. It is used only when its key matches:
the bytes of every content file, the source of the content package (models, loader, lint) and today's date (the lint
compares review dates with today). Anything else, including a cache that cannot be read, means a normal load, and
the fresh result replaces the file. Tests and ``hnscc-edu validate`` call ``load_course`` directly and never see it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path

import platformdirs

from .course import CourseContent, content_files, course_root, load_course

log = logging.getLogger(__name__)
CACHE_VARIABLE = "HNSCC_EDU_CACHE_DIR"
_PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_VARIABLE) or platformdirs.user_cache_dir("hnscc-edu"))


def course_key(root: Path, today: dt.date) -> str:
    digest = hashlib.sha256(today.isoformat().encode())
    for path in [*content_files(root), *sorted(_PACKAGE.glob("*.py"))]:
        digest.update(str(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_course_cached(root: Path | None = None, today: dt.date | None = None) -> CourseContent:
    """``load_course(root)``, from the cache when the course and the content code are unchanged since it was made."""
    root = (root or course_root()).resolve()
    today = today or dt.date.today()
    key = course_key(root, today)
    path = cache_dir() / f"course-{hashlib.sha256(str(root).encode()).hexdigest()[:16]}.pickle"
    try:
        with path.open("rb") as handle:
            stored_key, content = pickle.load(handle)
        if stored_key == key and isinstance(content, CourseContent):
            return content
    except FileNotFoundError:
        pass
    except Exception:
        log.info("ignoring the course cache %s", path, exc_info=True)
    content = load_course(root, today=today)
    _write(path, (key, content))
    return content


def _write(path: Path, value: object) -> None:
    """Write atomically (a temporary file renamed over the old one), so a kernel reading meanwhile sees a whole file;
    a read-only or full disk only costs the cache."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except OSError:
        log.info("could not write the course cache %s", path, exc_info=True)


def load_course_with_credit(root: Path | None = None) -> CourseContent:
    """The whole course as the course service and the director's commands see it: with the private item banks of
    ``HNSCC_EDU_PRIVATE_CONTENT`` in place of the public ones when it is set (loaded fresh, never cached on disk),
    else ``load_course_cached``."""
    from .course import private_content_dir

    private = private_content_dir()
    if private is not None:
        return load_course((root or course_root()).resolve(), private=private)
    return load_course_cached(root)
