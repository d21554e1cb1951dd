"""The course service over HTTP, on SQLite and PostgreSQL (issue 16 sections 1, 2 and 5): the one writer of everything
credit-bearing. A learner's connection can do what the widgets do and nothing more: no step is recorded except by
the service's own checks, no key travels before its attempt is submitted, the post-test waits for the core path, and
attested time far above the time on the path is flagged."""

from __future__ import annotations

import base64
import datetime as dt
import json
import urllib.error
import urllib.request
from functools import partial

import pytest
from sqlalchemy import select

from hnscc_edu import keys
from hnscc_edu.content.course import load_course
from hnscc_edu.export import certificate_check, report
from hnscc_edu.rules.grading.keys import key_response
from hnscc_edu.rules.learner_path import PathError, Step
from hnscc_edu.service import CourseService
from hnscc_edu.service.client import ServiceClient, ServiceRefused
from hnscc_edu.store import Store
from hnscc_edu.store.credit import CreditStore, attestations, certificates
from tests.credit.conftest import EVALUATION, Clock
from tests.helpers import ROOT
from tests.service_harness import (
    PRIVATE_MARK,
    ThreadedService,
    answer_test,
    finish_case_through,
    finish_core_path,
    write_private_pool,
)

PUBLIC = load_course(ROOT)
INFO = PUBLIC.info


@pytest.fixture(scope="module")
def private_course(tmp_path_factory):
    folder = tmp_path_factory.mktemp("private-content") / "private"
    write_private_pool(folder)
    content = load_course(ROOT, private=folder)
    assert not content.problems, [str(p) for p in content.problems]
    return content


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def running(url, clock, private_course):
    threaded = ThreadedService(CourseService(url, content=private_course, practice=True, clock=clock))
    yield threaded
    threaded.stop()


def refused(call) -> ServiceRefused:
    with pytest.raises(ServiceRefused) as caught:
        call()
    return caught.value


def raw(method: str, address: str, body: bytes | None = None, headers: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(address, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [str(k), *strings(v)]]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return [value] if isinstance(value, str) else []


def test_nothing_is_served_without_the_service_credentials(running):
    api = f"{running.url}hnscc/api/v1"
    for method, path, body in [
        ("GET", "me", None),
        ("POST", "path/acknowledge", b"{}"),
        ("GET", f"cases/{INFO.core_path[0]}", None),
        ("POST", "path/attestation", b'{"full_name": "X", "minutes": 60, "confirmed": true}'),
    ]:
        status, answer = raw(method, f"{api}/{path}", body)
        assert status == 401 and "no credentials" in answer["error"]
        status, answer = raw(method, f"{api}/{path}", body, {"Authorization": "Bearer forged"})
        assert status == 403 and "not this course server's" in answer["error"]
    assert CreditStore(running.service.store).learner_ids() == []


def test_a_case_completion_is_recorded_only_by_the_service_after_its_questions(running):
    """No request names a step done: a case finishes when the service's own session moves past its last stage,
    and a stage moves on only when its questions are answered. There is no route to declare a case, or the modules,
    complete."""
    client = running.client("learner")
    client.path("acknowledge", profession="nurse", degree="RN")
    case = PUBLIC.case(INFO.core_path[0])
    assert refused(lambda: client.case_action(case.id, "advance")).status == 409  # questions still open
    for action in ("complete", "finish"):
        assert refused(partial(client.case_action, case.id, action)).status == 404
    for action in ("modules_completed", "complete_modules", "core_path_finished", "posttest_finished"):
        assert refused(partial(client.path, action)).status == 404
    assert running.service.store.completed_cases("learner") == set()
    assert client.status()["cases"] == {}
    item = case.stage(case.start).items[0]
    client.case_action(case.id, "answer", item_id=item.id, response=key_response(item))
    assert client.status()["cases"] == {case.id: "started"}  # what the course map shows
    finish_case_through(client, case)
    assert running.service.store.completed_cases("learner") == {case.id}
    assert client.status()["cases"] == {case.id: "finished"}
    history = client.case(case.id)
    assert history["completed"] and history["run"] == 1


def test_the_service_holds_a_stage_only_for_the_questions_written_for_the_learner(running):
    """Profession tailoring is the service's rule, not the page's (issue 20 §2): a medical physicist moves past a
    stage whose only question is written for other professions, and is held where a question is written for her."""
    client = running.client("physicist")
    client.path("acknowledge", profession="medical_physicist", degree="MSc")
    case = PUBLIC.case("reirr-branching-03")
    assert client.case(case.id)["profession"] == "medical_physicist"
    moved = client.case_action(case.id, "advance", at=[1, 1, False])
    assert moved["moved"] and moved["answers"] == []  # rb03-candidate is optional for her
    assert refused(lambda: client.case_action(case.id, "advance", at=[1, 2, False])).status == 409  # rb03-alpha-beta
    other = running.client("oncologist")
    other.path("acknowledge", profession="radiation_oncologist", degree="MD")
    assert refused(lambda: other.case_action(case.id, "advance", at=[1, 1, False])).status == 409


def test_the_post_test_opens_only_when_every_core_path_case_is_finished(running):
    client = running.client("learner")
    client.path("acknowledge", profession="surgeon", degree="MD")
    client.path("pretest/skip")
    for done, case_id in enumerate(INFO.core_path):
        status = client.status()
        assert status["step"] == "modules"
        assert sum(c["finished"] for c in status["core_path"]) == done
        error = refused(lambda: client.path("posttest/start"))
        assert error.status == 409 and "finish every case of the core path" in str(error)
        finish_case_through(client, PUBLIC.case(case_id))
    status = client.status()
    assert status["step"] == "post_test" and all(c["finished"] for c in status["core_path"])
    events = [kind for kind, _, _ in CreditStore(running.service.store).events("learner")]
    assert events == ["acknowledged", "pretest_skipped", "core_path_finished"]
    client.case_action(INFO.core_path[0], "restart")  # a later restart does not undo a finished run
    assert client.path("posttest/start")["test"]["purpose"] == "post"


def test_no_key_travels_before_the_attempt_is_submitted_and_the_feedback_after(running, private_course):
    client = running.client("learner")
    client.path("acknowledge", profession="radiation_oncologist", degree="MD")
    pre = client.path("pretest/start")["test"]
    pool = {i.id: i for b in private_course.banks.values() if b.purpose in ("pre", "post") for i in b.items}
    rationales = {o.rationale[:60] for item in pool.values() for o in item.options}

    def assert_no_key(body) -> None:
        texts = strings(body)
        assert not [t for t in texts if PRIVATE_MARK in t or t[:60] in rationales]
        assert not {"correct", "rationale", "killer", "evidence", "references", "feedback"} & set(texts)

    assert_no_key(pre)
    assert {item["id"] for item in pre["items"]} == {i.id for i in private_course.banks["pre-test"].items}
    for item in pre["items"]:
        assert_no_key(client.path("answer", item_id=item["id"], response=item["options"][0]["id"]))
    assert_no_key(client.path("finish"))
    finish_core_path(running.service, "learner")
    started = client.path("posttest/start")
    assert_no_key(started)
    drawn = started["test"]["items"]
    assert all(item["stem"].startswith("[private pool]") for item in drawn)  # the service's pool, not the public one
    for item in drawn:
        assert_no_key(client.path("answer", item_id=item["id"], response=item["options"][0]["id"]))
    assert_no_key(client.status())
    finished = client.path("finish")
    shown = " ".join(strings(finished["result"]))
    assert PRIVATE_MARK in shown and all(pool[i["id"]].options[0].rationale[:60] in shown for i in drawn)


def test_a_learner_connection_cannot_pass_without_answering(running):
    """Finishing needs every answer, each graded by the service: nothing else scores an attempt."""
    client = running.client("learner")
    client.path("acknowledge", profession="nurse", degree="RN")
    client.path("pretest/skip")
    finish_core_path(running.service, "learner")
    items = client.path("posttest/start")["test"]["items"]
    error = refused(lambda: client.path("finish"))
    assert "12 still open" in str(error)
    with pytest.raises(ValueError, match="not one of this question.s options"):
        client.path("answer", item_id=items[0]["id"], response="no-such-option")
    assert (
        refused(lambda: client.path("evaluation", met={o.id: "yes" for o in INFO.objectives}, free_of_bias=True)).status
        == 409
    )
    error = refused(lambda: client.path("attestation", full_name="Dr A", minutes=60, confirmed=True))
    assert "pass the post-test" in str(error)
    error = refused(lambda: client.path("certificate"))
    assert "pass the post-test" in str(error)
    store = running.service.store
    with store.engine.connect() as conn:
        assert conn.execute(select(attestations)).all() == [] and conn.execute(select(certificates)).all() == []


def test_attested_time_far_above_the_time_on_the_path_is_flagged(running, clock):
    """The rule: more than 1.5 times the time on the path and more than 15 minutes above it."""
    service = running.service
    for learner, on_path, attested, flagged in [
        ("quick", 12, 60, True),
        ("honest", 12, 20, False),
        ("long", 60, 85, False),
        ("slow", 40, 61, True),
    ]:
        start = clock.now
        client = running.client(learner)
        client.path("acknowledge", profession="nurse", degree="RN")
        client.path("pretest/skip")
        finish_core_path(service, learner)
        client.path("posttest/start")
        answer_test(service, learner)
        client.path("evaluation", met={o.id: "yes" for o in INFO.objectives}, free_of_bias=True, **EVALUATION)
        clock.now = start + dt.timedelta(minutes=on_path)
        status = client.path("attestation", full_name=f"Dr {learner}", minutes=attested, confirmed=True)
        assert (status["attested_minutes"], status["path_minutes"], status["time_flagged"]) == (
            attested,
            on_path,
            flagged,
        ), learner
    data = report.build(running.service.content, Store(service.url))
    rows = data.attestation_time.set_index("learner_id")
    assert rows["flagged"].to_dict() == {"honest": False, "long": False, "quick": True, "slow": True}
    assert rows.loc["quick", "path_minutes"] == 12 and rows.loc["quick", "recorded_by_service"]
    assert report.time_line(data).startswith(
        "Attested time: 2 of 4 attestations flagged as far above the time on the path (more than 1.5 times"
    )


def test_a_practice_service_issues_a_practice_record_and_a_hub_service_a_certificate(url, clock, private_course):
    def earn(service: CourseService, learner: str) -> dict:
        threaded = ThreadedService(service)
        try:
            client = threaded.client(learner)
            client.path("acknowledge", profession="radiation_oncologist", degree="MD")
            client.path("pretest/skip")
            finish_core_path(service, learner)
            client.path("posttest/start")
            answer_test(service, learner)
            client.path("evaluation", met={o.id: "yes" for o in INFO.objectives}, free_of_bias=True, **EVALUATION)
            client.path("attestation", full_name="Dr Mode", minutes=45, confirmed=True)
            return client.path("certificate")["certificate"]
        finally:
            threaded.stop()

    practice = earn(CourseService(url, content=private_course, practice=True, clock=clock), "on-one-machine")
    credit = earn(CourseService(url, content=private_course, practice=False, clock=clock), "on-a-hub")
    assert practice["practice"] and practice["payload"]["mode"] == "practice"
    assert practice["payload"]["credit_amount"] == "0.00" and "AMA" not in json.dumps(practice["payload"])
    assert not credit["practice"] and credit["payload"]["amount_label"] == "AMA PRA Category 1 Credit™"
    public_key = keys.load_public()
    for issued, words in ((practice, "practice record: not for credit"), (credit, "draft: not for credit")):
        result = certificate_check.verify(base64.b64decode(issued["pdf"]), public_key)
        assert result.ok and words in result.message.lower(), result.message


def test_bad_requests_get_a_plain_answer(running):
    client = running.client("learner")
    headers = {"Authorization": client.authorization, "Content-Type": "application/json"}
    api = f"{running.url}hnscc/api/v1"
    assert raw("POST", f"{api}/path/acknowledge", b"not json", headers)[0] == 400
    assert raw("POST", f"{api}/path/acknowledge", b"[1, 2]", headers)[0] == 400
    assert raw("POST", f"{api}/path/acknowledge", b"{" + b" " * 70_000 + b"}", headers)[0] == 413
    status, answer = raw("GET", f"{api}/cases/no-such-case", None, headers)
    assert status == 404 and "no case" in answer["error"]
    assert raw("GET", f"{api}/nothing/here", None, headers)[0] == 404
    status, answer = raw("POST", f"{api}/path/acknowledge", b'{"profession": "astronaut", "degree": "MD"}', headers)
    assert status == 409 and "profession" in answer["error"]
    assert "Traceback" not in json.dumps(answer)


def test_the_client_reports_an_unreachable_service_in_the_learners_words():
    with pytest.raises(Exception, match="cannot be reached just now") as caught:
        ServiceClient("http://127.0.0.1:9/", token="x").status()
    assert not isinstance(caught.value, PathError)
    with pytest.raises(Exception, match="not connected to a course server"):
        ServiceClient("", token="x", environ={}).status()
    assert Step("post_test") is Step.post_test
