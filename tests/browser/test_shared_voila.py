"""Layer 4: standalone Voila (``make present``) shows its pages to anyone who opens them, without a sign-in. Without
a hub or an explicit ``HNSCC_EDU_LEARNER_ID`` every viewer would share one learner id, so the course service stores
nothing, and the page tells the viewer why in their words (issue 16 section 2: one person, one learner id). The cases
still play, for a presenter to show and discuss, with answers kept only in the page's memory."""

from __future__ import annotations

import pytest

from hnscc_edu.content.course import load_course
from hnscc_edu.service.client import ServiceRefused
from hnscc_edu.store import Store
from tests.browser.walk import answer, feedback_text, open_case
from tests.helpers import ROOT
from tests.voila_server import VoilaServer

pytestmark = pytest.mark.browser


def test_standalone_voila_without_a_learner_id_stores_nothing_and_says_why(page, tmp_path):
    server = VoilaServer(
        "01_reirradiation.ipynb",
        tmp_path / "store.sqlite3",
        "unused",
        tmp_path / "voila.log",
        extra_env={"HNSCC_EDU_LEARNER_ID": "", "JUPYTERHUB_USER": ""},
        acknowledged=False,
    )
    try:
        with pytest.raises(ServiceRefused, match="cannot tell you apart from other viewers") as refused:
            server.client().status()
        assert refused.value.status == 403
        page.goto(server.url)
        message = page.locator(".hnscc-unsaved", has_text="your progress is not saved here").first
        message.wait_for()
        assert "because it would be mixed with theirs" in message.inner_text()
        # the case still plays for the room, answered here, and nothing reaches the course record
        case = load_course(ROOT).case("reirr-candidacy-01")
        player = open_case(page, case.id)
        item = case.stage(case.start).items[0]
        answer(player, item)
        assert "Evidence:" in feedback_text(player, item)
        assert "Traceback" not in page.content()
        store = Store(server.db_url)
        assert store.attempt_rows() == []
        store.engine.dispose()
    finally:
        server.stop()
