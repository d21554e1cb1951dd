"""The learner kernel's side of the course service: a small HTTP client and the objects the widgets use.

A learner's kernel holds no database address and no key for anything credit-bearing. ``ServiceClient`` finds the
service in its environment (``HNSCC_EDU_SERVICE_URL``) and proves who it is with the hub token of a hub
(``JUPYTERHUB_API_TOKEN``, when ``JUPYTERHUB_USER`` is set too) or with the per-server secret of a one-machine server
(``HNSCC_EDU_SERVICE_TOKEN``). ``RemotePath`` is what the path panel (``ui.path_panel``) shows and calls;
``RemoteCaseSession`` is what the case player (``ui.case_player``) shows and calls. Both keep only what the service
sent: stems and options before an answer, feedback after it. The Python API can do no more than the widgets: every
step is the service's to check and record.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..content.models import Case, CourseInfo, ItemBank
from ..rules import case_flow
from ..rules.assessment import AttemptResult
from ..rules.credit import credit_for_minutes
from ..rules.follow_up import FollowUp
from ..rules.grading import GradeResult, InvalidResponse, canonical_response
from ..rules.learner_path import PathError, Step
from ..sessions.bank_session import BankSession
from ..sessions.case_session import CaseSession
from ..store import StoreError
from ..store.identity import announcement, wait_for_viewer
from . import PREFIX, SERVICE_TOKEN_VARIABLE, SERVICE_URL_VARIABLE
from .wire import PublicItem, grade_from_json, public_item

TIMEOUT_S = 30.0


class ServiceUnavailable(StoreError):
    """The course service cannot be reached or cannot store just now (the message is for the learner)."""


class ServiceRefused(PathError):
    """The course service refused a step (the message says why, for the learner); ``code`` says what kind."""

    def __init__(self, message: str, code: str = "refused", status: int = 409) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


class NotConnected(ServiceUnavailable):
    pass


NOT_CONNECTED = (
    "This page is not connected to a course server, so nothing here can be recorded. Open the course "
    "from its start page, on your own computer or on your institution's course hub."
)


def http_json(
    method: str, url: str, body: Mapping[str, Any] | None, authorization: str, timeout: float = TIMEOUT_S
) -> tuple[int, dict[str, Any]]:
    """One JSON call to the course server: its status and its JSON object (``{}`` when the body is not one);
    ServiceUnavailable when the server cannot be reached."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    headers = {"Accept": "application/json"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    if authorization:
        headers["Authorization"] = authorization
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
    except (urllib.error.URLError, OSError) as exc:
        raise ServiceUnavailable(
            "The course server cannot be reached just now, so nothing was recorded; please try again in a moment."
        ) from exc
    try:
        answer = json.loads(raw)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        if status < 400:
            raise ServiceUnavailable("The course server's answer could not be read; please try again.")
        answer = {}
    return status, answer


class ServiceClient:
    """One learner's connection to the course service (JSON over HTTP, with the urllib of the standard library)."""

    def __init__(
        self, url: str | None = None, token: str | None = None, environ: Mapping[str, str] | None = None
    ) -> None:
        environ = os.environ if environ is None else environ
        self.url = (url or environ.get(SERVICE_URL_VARIABLE, "")).strip()
        if not self.url and token is None:  # a pre-heated Voila kernel, started before its server set the service up
            wait_for_viewer()
            announced = announcement(environ)
            self.url = str(announced.get("url") or "")
            environ = {**environ, SERVICE_TOKEN_VARIABLE: str(announced.get("token") or "")}
        if token is not None:
            self.authorization = f"Bearer {token}"
        elif (
            environ.get("JUPYTERHUB_USER")
            and environ.get("JUPYTERHUB_API_TOKEN")
            and not environ.get(SERVICE_TOKEN_VARIABLE)
        ):
            self.authorization = f"token {environ['JUPYTERHUB_API_TOKEN']}"  # a hub: the hub says who this is
        else:
            secret = environ.get(SERVICE_TOKEN_VARIABLE, "")
            self.authorization = f"Bearer {secret}" if secret else ""

    def _address(self, path: str) -> str:
        return f"{self.url.rstrip('/')}/{PREFIX}/{path}"

    def request(self, method: str, path: str, body: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """One call; in a pre-heated Voila kernel, only once the page has been opened (nothing of the learner's is
        read before: another tab may have moved on)."""
        wait_for_viewer()
        if not self.url:
            raise NotConnected(NOT_CONNECTED)
        status, answer = http_json(method, self._address(path), body, self.authorization)
        if status < 400:
            return answer
        message = answer.get("error") or f"The course server answered {status}."
        code = answer.get("code", "refused")
        if status == 400:
            raise InvalidResponse(message)
        if status >= 500:
            raise ServiceUnavailable(message)
        raise ServiceRefused(message, code, status)

    # -- the interface -----------------------------------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        return self.request("GET", "me")

    def path(self, action: str, **body: Any) -> dict[str, Any]:
        return self.request("POST", f"path/{action}", body)

    def case(self, case_id: str) -> dict[str, Any]:
        return self.request("GET", f"cases/{case_id}")

    def bank(self, bank_id: str) -> dict[str, Any]:
        return self.request("GET", f"banks/{bank_id}")

    def bank_action(self, bank_id: str, action: str, **body: Any) -> dict[str, Any]:
        return self.request("POST", f"banks/{bank_id}/{action}", body)

    def case_action(self, case_id: str, action: str, **body: Any) -> dict[str, Any]:
        return self.request("POST", f"cases/{case_id}/{action}", body)


# -- the path to credit, as the panel sees it -------------------------------------------------------------------
@dataclass(frozen=True)
class AttemptView:
    number: int
    pass_mark: int
    percent: float | None
    passed: bool
    finished: bool


@dataclass(frozen=True)
class StateView:
    """The learner's path as the service reported it (the fields the panel reads)."""

    acknowledged: bool
    profession: str | None
    degree: str | None
    pretest: str
    attempts: tuple[AttemptView, ...]
    evaluated: bool
    attested_minutes: int | None
    credit: str | None
    full_name: str | None
    certificate_id: str | None
    path_minutes: float | None

    @property
    def passed(self) -> bool:
        return any(a.passed for a in self.attempts)

    @property
    def current_attempt(self) -> AttemptView | None:
        last = self.attempts[-1] if self.attempts else None
        return last if last is not None and not last.finished else None


@dataclass(frozen=True)
class CreditTypeView:
    id: str
    certificate_title: str
    amount_label: str


@dataclass(frozen=True)
class CertificateView:
    certificate_id: str
    payload: dict
    draft: bool
    practice: bool
    pdf_base64: str


def attempt_result(data: Mapping[str, Any] | None) -> AttemptResult | None:
    if not data:
        return None
    return AttemptResult(
        data["purpose"],
        int(data["attempt"]),
        float(data["score"]),
        float(data["max_score"]),
        data.get("pass_mark"),
        tuple(grade_from_json(r) for r in data.get("results") or ()),
    )


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else None


class RemotePath:
    """The learner's path through the course service: what ``ui.path_panel.PathPanel`` displays and calls. Every
    call is one request; the answer is the service's new status, which replaces this object's view."""

    def __init__(self, client: ServiceClient, info: CourseInfo) -> None:
        self.client = client
        self.info = info
        self.refresh()

    def refresh(self, status: Mapping[str, Any] | None = None) -> None:
        data = dict(status) if status is not None else self.client.status()
        self.status = {
            key: value
            for key, value in data.items()
            if key not in ("test", "last_result", "passed_result", "result", "certificate")
        }
        self.mode = data.get("mode", "practice")
        self.step = Step(data["step"])
        self.state = StateView(
            acknowledged=bool(data.get("acknowledged")),
            profession=data.get("profession"),
            degree=data.get("degree"),
            pretest=data.get("pretest", "not_started"),
            attempts=tuple(
                AttemptView(
                    a["number"], a["pass_mark"], a.get("percent"), bool(a.get("passed")), bool(a.get("finished"))
                )
                for a in data.get("attempts") or ()
            ),
            evaluated=bool(data.get("evaluated")),
            attested_minutes=data.get("attested_minutes"),
            credit=data.get("credit"),
            full_name=data.get("full_name"),
            certificate_id=data.get("certificate_id"),
            path_minutes=data.get("path_minutes"),
        )
        test = data.get("test")
        self._test: dict[str, Any] | None = None
        self._items: list[PublicItem] = []
        if test:
            self._test = {
                "purpose": test["purpose"],
                "attempt": test.get("attempt"),
                "pass_mark": test.get("pass_mark"),
            }
            self._items = [public_item(item) for item in test.get("items") or ()]
            self._answered: dict[str, object] = dict(test.get("answered") or {})
        else:
            self._answered = {}
        self.last_result = attempt_result(data.get("last_result"))
        self.passed_result = attempt_result(data.get("passed_result"))
        kind = data.get("credit_type")
        self.credit_type = CreditTypeView(**kind) if kind else None
        self.core_path: list[dict[str, Any]] = list(data.get("core_path") or ())
        pool = data.get("pool") or {}
        self.pre_pool, self.post_pool = int(pool.get("pre", 0)), int(pool.get("post", 0))
        self.expired = bool(data.get("expired"))
        self.minutes_on_path = data.get("minutes_on_path")
        self.time_flagged = bool(data.get("time_flagged"))
        self.practice = self.mode == "practice"
        follow = data.get("follow_up") or {}
        self.follow_up = FollowUp(
            follow.get("status", "none"),
            tuple(follow.get("objectives") or ()),
            _date(follow.get("due_from")),
            _date(follow.get("due_until")),
        )

    def _act(self, action: str, **body: Any) -> dict[str, Any]:
        answer = self.client.path(action, **body)
        self.refresh(answer)
        return answer

    # -- what the panel calls ----------------------------------------------------------------------------------
    def acknowledge(self, profession: str | None, degree: str | None) -> None:
        self._act("acknowledge", profession=profession, degree=degree)

    def start_pretest(self) -> list[PublicItem]:
        self._act("pretest/start")
        return self.test_items()

    def skip_pretest(self) -> None:
        self._act("pretest/skip")

    def start_posttest(self) -> list[PublicItem]:
        self._act("posttest/start")
        return self.test_items()

    @property
    def test_purpose(self) -> str:
        if self._test is None:
            raise PathError("There is no test in progress.")
        return self._test["purpose"]

    def test_items(self) -> list[PublicItem]:
        """The items of the test in progress as the service sent them: stems and options, no key."""
        if self._test is None:
            raise PathError("There is no test in progress.")
        return list(self._items)

    def answers(self) -> dict[str, tuple[object, None]]:
        """The answers saved in the test in progress (no grade: the feedback comes with the finished attempt)."""
        return {item_id: (response, None) for item_id, response in self._answered.items()}

    def answer(self, item_id: str, response: object) -> None:
        item = next((i for i in self._items if i.id == item_id), None)
        if item is not None and item.type in ("multiple_select", "key_feature") and isinstance(response, (list, set)):
            response = sorted(response)
        self._act("answer", item_id=item_id, response=response)

    def finish_test(self) -> AttemptResult | None:
        answer = self._act("finish")
        return attempt_result(answer.get("result"))

    @property
    def attempts_left(self) -> int:
        return int(self.status.get("attempts_left", 0))

    def submit_follow_up(self, outcomes: Mapping[str, Any], barriers: str | None = None) -> None:
        self._act("follow-up", outcomes=dict(outcomes), barriers=barriers)

    def submit_evaluation(
        self,
        met: Mapping[str, str | None],
        commitments: Mapping[str, str | None],
        free_of_bias: bool | None,
        bias_comment: str | None = None,
        *,
        intents: Mapping[str, str | None],
        answers: Mapping[str, Any],
        barrier_comment: str | None = None,
    ) -> None:
        self._act(
            "evaluation",
            met=dict(met),
            commitments={k: v for k, v in commitments.items() if v},
            free_of_bias=free_of_bias,
            bias_comment=bias_comment,
            intents=dict(intents),
            answers=dict(answers),
            barrier_comment=barrier_comment,
        )

    def credit_preview(self, minutes: int) -> str:
        """The credit a number of minutes would give (the course file's rule, for the form before confirming)."""
        settings = self.info.credit
        return f"{credit_for_minutes(minutes, settings.increment, settings.designated_amount):.2f}"

    def attest(self, full_name: str | None, minutes: int | None, confirmed: bool) -> str | None:
        self._act("attestation", full_name=full_name, minutes=minutes, confirmed=confirmed)
        return self.state.credit

    def certificate(self) -> CertificateView:
        answer = self._act("certificate")
        c = answer["certificate"]
        return CertificateView(c["certificate_id"], dict(c["payload"]), bool(c["draft"]), bool(c["practice"]), c["pdf"])


# -- a case, as the player sees it -------------------------------------------------------------------------------
class RemoteCaseSession(CaseSession):
    """A case played through the course service: the service's session checks every step and records it; this
    object rebuilds the state on screen from the history the service returns (``case_flow.replay``, as a reload
    does). The case's text is the course's public content; the record is the service's."""

    def __init__(self, case: Case, client: ServiceClient, history: Mapping[str, Any] | None = None) -> None:
        self.case = case
        self.client = client
        self.learner_id = None  # the service knows who the learner is; the kernel does not need to
        self._apply(history if history is not None else client.case(case.id))

    def _apply(self, history: Mapping[str, Any]) -> None:
        self.run = int(history["run"])
        profession = history.get("profession")
        self.profession = profession if isinstance(profession, str) and profession else None
        answers = [(str(item_id), response) for item_id, response in history.get("answers") or ()]
        self.state = case_flow.replay(self.case, answers, int(history.get("moves", 0)), bool(history.get("completed")))

    def reload(self) -> None:
        self._apply(self.client.case(self.case.id))

    def submit(self, item_id: str, response: object) -> GradeResult:
        item = next((i for i in self.case.items if i.id == item_id), None)
        if item is None or item not in case_flow.current_stage(self.case, self.state).items:
            # the service refuses it as well; said here with the flow's own words, without a request
            case_flow.submit(self.case, self.state, item_id, response)
        if item is not None:
            response = canonical_response(item, response)
        answer = self.client.case_action(self.case.id, "answer", item_id=item_id, response=response)
        self._apply(answer)
        return grade_from_json(answer["result"])

    def advance(self) -> None:
        at = [self.run, len(self.state.path), self.state.completed]
        self._apply(self.client.case_action(self.case.id, "advance", at=at))

    def restart(self) -> None:
        self._apply(self.client.case_action(self.case.id, "restart"))


# -- a module self-check, as the player sees it --------------------------------------------------------------------
class RemoteBankSession(BankSession):
    """A module self-check kept by the course service (on a hub, where the kernel has no store): the service grades
    and records each answer; this object shows the run the service returns, graded again from the stored responses
    with the bank's public key (self-checks are formative and their keys are public content)."""

    def __init__(self, bank: ItemBank, client: ServiceClient, history: Mapping[str, Any] | None = None) -> None:
        self.bank = bank
        self.client = client
        self.learner_id = None  # the service knows who the learner is
        self._items = {item.id: item for item in bank.items}
        self._apply(history if history is not None else client.bank(bank.id))

    def _apply(self, history: Mapping[str, Any]) -> None:
        profession = history.get("profession")
        self.profession = profession if isinstance(profession, str) and profession else None
        self._replay(int(history["run"]), [(str(i), r) for i, r in history.get("answers") or ()])

    def reload(self) -> None:
        self._apply(self.client.bank(self.bank.id))

    def submit(self, item_id: str, response: object) -> GradeResult:
        item = self._items.get(item_id)
        if item is not None:
            response = canonical_response(item, response)  # a response that cannot be graded stops here, unsent
        answer = self.client.bank_action(self.bank.id, "answer", item_id=item_id, response=response)
        self._apply(answer)
        return grade_from_json(answer["result"])

    def restart(self) -> None:
        self._apply(self.client.bank_action(self.bank.id, "restart"))
