"""The persona screenshot script (issue 20 §6) runs as the next review will run it: real Voila, real Chromium, real
PNG files, and an index that names each one."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.browser

PNG = b"\x89PNG\r\n\x1a\n"


def test_the_nurse_persona_is_photographed_with_an_index(tmp_path):
    # its own process, as a maintainer runs it (and apart from this session's Playwright)
    done = subprocess.run(
        [sys.executable, "scripts/persona_screens.py", "--out", str(tmp_path), "--persona", "nurse"],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    shots = sorted((tmp_path / "nurse").glob("*.png"))
    assert [s.name[:2] for s in shots] == ["01", "02", "03"]
    assert all(s.read_bytes()[:8] == PNG and s.stat().st_size > 10_000 for s in shots)  # real, non-blank images
    index = (tmp_path / "index.md").read_text()
    assert "## nurse" in index and all(s.name in index for s in shots) and "radiation-oncologist" not in index
