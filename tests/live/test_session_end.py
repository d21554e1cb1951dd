"""Issue 21, "Session codes expire": the presenter ends a session (the dashboard's button, or ``POST {session}/end``),
or it ends by itself after a time without presenter actions (``HNSCC_EDU_LIVE_IDLE_HOURS``, 6 by default); an ended
session's code no longer lets anyone join, read the question or vote, on SQLite and PostgreSQL. Its polls and votes
stay in the store for the presenter's records."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from hnscc_edu.content.course import load_course
from hnscc_edu.rules.live import Choice, LiveNotFound, idle_limit, session_over
from hnscc_edu.store import Store
from hnscc_edu.store.database import utc_now
from hnscc_edu.store.live import LiveStore
from hnscc_edu.store.schema import live_sessions
from hnscc_edu.ui.presenter import PresenterDashboard
from tests.helpers import ROOT
from tests.live.client import call, join

CHOICES = (Choice("a", "A"), Choice("b", "B"))


def _age(store: Store, code: str, hours: float) -> None:
    """Make the session's last presenter action ``hours`` ago (as if the presenter left it)."""
    with store.engine.begin() as conn:
        conn.execute(
            update(live_sessions)
            .where(live_sessions.c.code == code)
            .values(last_active_at=utc_now() - dt.timedelta(hours=hours))
        )


def test_the_rule():
    now = dt.datetime(2026, 12, 5, 12, tzinfo=dt.UTC)
    six = idle_limit({})
    assert six == dt.timedelta(hours=6) and idle_limit({"HNSCC_EDU_LIVE_IDLE_HOURS": "1.5"}).seconds == 5400
    assert idle_limit({"HNSCC_EDU_LIVE_IDLE_HOURS": "soon"}) == six  # nonsense keeps the default
    assert session_over("ABCDEF", None, now - dt.timedelta(hours=5), now, six) is None
    assert "has ended" in session_over("ABCDEF", None, now - dt.timedelta(hours=7), now, six)
    assert "Thank you" in session_over("ABCDEF", now, now, now, six)


def test_an_idle_session_ends_and_a_presenter_action_keeps_it_going(url):
    store = Store(url)
    live = LiveStore(store)
    session, token = live.create_session("Morning")
    poll = live.open_poll(session.code, token, "Which?", CHOICES)
    _age(store, session.code, 5)
    live.transition(session.code, token, poll.id, "lock")  # an action: the idle time starts again
    _age(store, session.code, 0)
    assert live.session(session.code).code == session.code
    _age(store, session.code, 7)
    for attempt in (
        lambda: live.session(session.code),
        lambda: live.current(session.code),
        lambda: live.vote(session.code, poll.id, "participant-0001", "a"),
        lambda: live.authorize(session.code, token),
    ):
        with pytest.raises(LiveNotFound, match="has ended"):
            attempt()
    assert LiveStore(store, idle=dt.timedelta(hours=8)).session(session.code).code == session.code  # a longer limit


def test_the_presenter_ends_a_session_and_its_code_stops_working(server, live):
    session, token = live.create_session("Afternoon")
    poll = live.open_poll(session.code, token, "Which?", CHOICES)
    phone = join(server.url, session.code)
    assert (
        call("POST", f"{server.url}/{session.code}/polls/{poll.id}/votes", {"participant": phone, "choice": "a"})[0]
        == 200
    )
    assert call("POST", f"{server.url}/{session.code}/end")[0] == 401  # only its presenter
    assert call("POST", f"{server.url}/{session.code}/end", token=token)[1] == {"code": session.code, "ended": True}
    for method, path, body in (
        ("GET", "current", None),
        ("POST", "join", None),
        ("POST", f"polls/{poll.id}/votes", {"participant": phone, "choice": "b"}),
    ):
        status, answer, _ = call(method, f"{server.url}/{session.code}/{path}", body)
        assert status == 404 and "has ended" in answer["error"], (path, status, answer)
    assert call("GET", f"{server.url}/{session.code}/projector")[0] == 404
    with live.store.engine.connect() as conn:  # the record stays
        assert conn.execute(live_sessions.select().where(live_sessions.c.code == session.code)).first().ended_at


def test_the_dashboards_end_button(live):
    dashboard = PresenterDashboard(load_course(ROOT), live, environ={})
    assert dashboard.end_button.disabled
    dashboard.start_button.click()
    code = dashboard.session.code
    assert not dashboard.end_button.disabled
    dashboard.end_button.click()
    assert dashboard.session is None and dashboard.end_button.disabled and not dashboard.boundary.message.value
    assert f"The session {code} has ended" in dashboard.session_html.value and not dashboard.projector_html.value
    with pytest.raises(LiveNotFound):
        live.session(code)
