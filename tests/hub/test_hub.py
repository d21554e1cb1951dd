"""A class on a real JupyterHub (issue 17): deploy/jupyterhub_config.py with configurable-http-proxy on loopback, the
course server as the hub service, learners' servers from the local process spawner, a PostgreSQL store.

Ten learners sign in and start their servers at once; each is who the hub says, none can use another's server or
path, no learner's process holds the store's address; phones vote through the proxy without a hub login and every
vote is counted once; learners play in Voila in Chromium through the proxy and their answers land under their own
names."""

from __future__ import annotations

import concurrent.futures
import re

import pytest
import requests

from hnscc_edu.content.course import load_course
from hnscc_edu.store import Store
from hnscc_edu.store.credit import CreditStore
from hnscc_edu.store.live import LiveStore
from tests.browser.walk import answer, feedback_text, open_case
from tests.conftest import fresh_database
from tests.helpers import ROOT
from tests.hub_harness import HubProcess, server_environments

LEARNERS = [f"learner{n:02d}" for n in range(10)]
POLLED_CASE = load_course(ROOT).case("reirr-candidacy-01")


@pytest.fixture(scope="module")
def hub(tmp_path_factory, postgres):
    import os
    from pathlib import Path

    folder = tmp_path_factory.mktemp("hub")
    running = HubProcess(folder, fresh_database(postgres), Path(os.environ["HNSCC_EDU_KEY_DIR"]))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def learners(hub):
    """Ten learners sign in and start their servers at the same time (the burst of a class starting)."""
    with concurrent.futures.ThreadPoolExecutor(len(LEARNERS)) as pool:
        signed = list(pool.map(hub.sign_in, LEARNERS))
        list(pool.map(hub.start_server, signed))
    return {learner.name: learner for learner in signed}


def test_each_learner_is_who_the_hub_says_to_the_course_service(hub, learners):
    for name, learner in learners.items():
        me = requests.get(hub.service("api/v1/me"), headers=learner.auth, timeout=60)
        assert me.status_code == 200, me.text
        assert me.json()["learner_id"] == name and me.json()["mode"] != "practice"
    assert requests.get(hub.service("api/v1/me"), timeout=30).status_code == 401  # no credentials
    forged = requests.get(hub.service("api/v1/me"), headers={"Authorization": "token forged"}, timeout=30)
    assert forged.status_code == 403


def test_no_learners_process_holds_the_store_or_the_signing_key(hub, learners):
    for name in learners:
        environments = server_environments(name)
        assert environments, f"no process of {name} was found"
        for env in environments:
            assert "HNSCC_EDU_DB_URL" not in env and "HNSCC_EDU_KEY_DIR" not in env
            assert not [v for v in env.values() if hub.store_url in v or "postgresql" in v]
            assert env["HNSCC_EDU_SERVICE_URL"].endswith("/services/hnscc/")
            assert env["HNSCC_EDU_LIVE_SERVICE_URL"].endswith("/services/hnscc-live/")


def test_a_learner_cannot_use_another_learners_server_or_path(hub, learners):
    ana, bob = learners[LEARNERS[0]], learners[LEARNERS[1]]
    assert requests.get(f"{hub.url}user/{bob.name}/api/status", headers=ana.auth, timeout=30).status_code == 403
    assert requests.get(f"{hub.url}user/{bob.name}/api/status", headers=bob.auth, timeout=30).status_code == 200
    # the path is the requester's own: acknowledging with ana's token records ana, never bob
    acknowledged = requests.post(
        hub.service("api/v1/path/acknowledge"),
        headers=ana.auth,
        timeout=60,
        json={"profession": "nurse", "degree": "RN"},
    )
    assert acknowledged.status_code == 200, acknowledged.text
    bob_status = requests.get(hub.service("api/v1/me"), headers=bob.auth, timeout=60).json()
    assert not bob_status["acknowledged"]
    credit = CreditStore(Store(hub.store_url))
    assert [kind for kind, _, _ in credit.events(ana.name)] == ["acknowledged"]
    assert credit.events(bob.name) == []
    # a learner's server serves no course route of its own (they would answer without a login, on another store)
    assert requests.get(f"{hub.url}user/{ana.name}/hnscc/live/", headers=ana.auth, timeout=30).status_code == 404


def test_phones_vote_through_the_proxy_without_a_hub_login_and_each_vote_counts_once(hub):
    live = LiveStore(Store(hub.store_url))
    session, token = live.create_session("Hub rehearsal", 3)
    presenter = {"Authorization": f"Bearer {token}"}
    base = hub.live(session.code)
    assert requests.get(f"{base}", timeout=30).status_code == 200  # the participant page, no hub login
    opened = requests.post(
        f"{base}/polls",
        headers=presenter,
        timeout=30,
        json={"question": "Which option?", "choices": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}]},
    )
    assert opened.status_code == 201, opened.text
    poll = opened.json()["poll"]

    def vote(n: int) -> int:
        joined = requests.post(f"{base}/join", timeout=60)  # the session issues each phone its id
        assert joined.status_code == 200, joined.text
        return requests.post(
            f"{base}/polls/{poll}/votes",
            timeout=60,
            json={"participant": joined.json()["participant"], "choice": "ab"[n % 2]},
        ).status_code

    with concurrent.futures.ThreadPoolExecutor(50) as pool:
        statuses = list(pool.map(vote, range(300)))
    assert statuses.count(200) == 300, {s: statuses.count(s) for s in set(statuses)}
    results = requests.get(f"{base}/polls/{poll}/results", headers=presenter, timeout=30).json()
    assert results["total"] == 300 and results["counts"] == {"a": 150, "b": 150}
    assert requests.get(f"{base}/polls/{poll}/results", timeout=30).status_code == 401  # not without the token


@pytest.mark.browser
def test_learners_play_in_voila_through_the_proxy_and_their_answers_are_theirs(hub, learners, browser):
    """Three learners in Chromium: the hub's login form, the start page (the hub's default URL), the activity gate,
    then a case question of module 1; the store holds each answer under the learner who gave it."""
    case = load_course(ROOT).case("reirr-candidacy-01")
    item = case.stages[0].items[0]
    players = LEARNERS[2:5]
    for name in players:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(180_000)
        page.goto(f"{hub.url}hub/login")
        page.locator("input[name=username]").fill(name)
        page.locator("input[name=password]").fill(hub.password)
        page.locator("input[type=submit], button[type=submit]").first.click()
        page.wait_for_url(re.compile(rf"/user/{name}/voila/render/notebooks/00_start_here\.ipynb"))
        page.get_by_role("button", name="Acknowledge and continue").wait_for()
        page.locator(".hnscc-gate-profession select").select_option(label="Radiation oncologist")
        page.locator(".hnscc-gate-degree select").select_option(label="MD")
        page.locator(".hnscc-gate-read input").check()
        page.get_by_role("button", name="Acknowledge and continue").click()
        page.get_by_role("button", name="Acknowledge and continue").wait_for(state="detached")
        page.goto(f"{hub.url}user/{name}/voila/render/notebooks/01_reirradiation.ipynb")
        player = open_case(page, case.id)
        answer(player, item)
        assert "Correct" in feedback_text(player, item)
        context.close()
    store = Store(hub.store_url)
    for name in players:
        assert store.case_history(name, case.id).answers[0][0] == item.id
    assert not store.case_history(LEARNERS[5], case.id).answers  # nobody answered for a learner who did not play


def test_the_course_server_keeps_the_directors_views_from_learners(hub, learners):
    """The report and live sessions over the hub's proxy: a learner's hub token is refused (403), no token is 401."""
    learner = learners[LEARNERS[6]]
    report = hub.service("api/v1/director/report")
    assert requests.get(report, headers=learner.auth, timeout=60).status_code == 403
    assert requests.get(report, timeout=60).status_code == 401
    started = requests.post(hub.live("sessions"), headers=learner.auth, json={"title": "x"}, timeout=60)
    assert started.status_code == 403 and "course's directors" in started.json()["error"]


@pytest.mark.browser
def test_a_director_presents_from_a_hub_server_and_phones_join_the_course_servers_poll(hub, browser):
    """The director (a hub admin in the course-directors group) opens the presenter dashboard on their own server
    through the proxy, starts a session and opens a poll; the join address is the course server's, and a phone that
    opens it without a hub login votes into the course server's store."""
    director = hub.sign_in("director", hub.admin_password)
    hub.start_server(director)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(180_000)
    page.goto(f"{hub.url}hub/login")
    page.locator("input[name=username]").fill("director")
    page.locator("input[name=password]").fill(hub.admin_password)
    page.locator("input[type=submit], button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/user/director/"))
    page.goto(f"{hub.url}user/director/voila/render/notebooks/live_presenter.ipynb")
    page.locator("button.hnscc-live-start").wait_for()
    page.locator(".hnscc-live-case select").select_option(label=POLLED_CASE.title)  # its first stage has a question
    page.get_by_role("button", name="Start a new live session").click()
    code = page.locator(".hnscc-live-code").inner_text(timeout=120_000).strip()
    join = page.locator(".hnscc-live-join a").first.get_attribute("href")
    assert join == hub.live(code)  # the live-poll server's own address, not the course server's
    projector = page.locator(".hnscc-live-projector-link").get_attribute("href")
    assert projector.startswith(f"/services/hnscc-live/hnscc/live/{code}/projector#token=")
    page.locator("button.hnscc-live-open-pre").click()
    page.locator(".hnscc-live-count", has_text="is open").wait_for()

    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    phone.set_default_timeout(120_000)
    phone.goto(join)
    phone.locator("#choices label").first.click()
    phone.get_by_role("button", name="Send my vote").click()
    phone.locator("#status", has_text="Your vote is recorded").wait_for()
    live = LiveStore(Store(hub.store_url))
    session = live.session(code)
    assert session.current_poll is not None and live.tally(code, session.current_poll).total == 1
    page.goto(f"{hub.url}{projector.lstrip('/')}")  # the room's screen names the same join address
    page.locator("#mode", has_text=f"Projector view of session {code}").wait_for()
    assert page.locator("#address").inner_text() == join
    phone.context.close()
    context.close()
