"""The course service's work, without HTTP: the one owner of the store and of the credit-bearing content.

``CourseService`` holds the course content (with the private item banks of ``HNSCC_EDU_PRIVATE_CONTENT`` in place
of the public ones), the store (``HNSCC_EDU_DB_URL``, read here, in the server process) and the provider's signing
key. Every call names the learner the authenticator identified; the learner never names themselves. It reuses the
engine as it is: ``LearnerPath`` for the path to credit, ``CaseSession`` for cases, the graders for answers.

What it sends back is built for a learner's screen: the path's status, the items of a test in progress as
``wire.public_item_json`` (stem and options, nothing of the key), and feedback only once it is due (a case answer
at once; a post-test attempt when it is finished).

``practice=True`` (a service that shares its machine with its learners: ``make course``, ``make present``) issues
practice records, never certificates of credit. Only a service on a hub, whose learners are the hub's authenticated
users and cannot write to its store, issues certificates of the course's mode.
"""

from __future__ import annotations

import base64
import logging
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..content.course import CourseContent, course_root, load_course, private_content_dir
from ..rules.grading import canonical_response
from ..rules.learner_path import PathError, Step
from ..rules.signing import Signer
from ..sessions.bank_session import BankSession
from ..sessions.case_session import CaseSession
from ..sessions.credit_session import AttemptResult, Clock, LearnerPath, revoke_certificate
from ..store import Store
from .wire import grade_json, public_item_json

MAX_TEXT_FIELD = 4000
log = logging.getLogger(__name__)


class NotAcknowledged(PathError):
    """Case content before the activity information was acknowledged."""


class UnknownCase(LookupError):
    """An unknown case or action (404)."""


def attempt_json(result: AttemptResult | None) -> dict[str, Any] | None:
    """A finished attempt with its feedback (sent only once the attempt is finished)."""
    if result is None:
        return None
    return {
        "purpose": result.purpose,
        "attempt": result.attempt,
        "score": result.score,
        "max_score": result.max_score,
        "pass_mark": result.pass_mark,
        "percent": result.percent,
        "passed": result.passed,
        "results": [grade_json(r) for r in result.results],
    }


class CourseService:
    """One per server process. The store and the content are opened on first use, so a database that is down does
    not stop the Jupyter or Voila server from starting."""

    def __init__(
        self,
        url: str | None = None,
        *,
        root: Path | None = None,
        private: Path | None = None,
        content: CourseContent | None = None,
        practice: bool = True,
        key_folder: Path | None = None,
        signer: Signer | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.url = url
        self.root = root
        self.private = private
        self.practice = practice
        self.key_folder = key_folder
        self.signer = signer
        self.clock = clock
        self._content = content
        self._store: Store | None = None
        self._lock = threading.Lock()
        # Called with (learner, result) when a learner passes the post-test, after it is recorded; the hub's course
        # server sends the score to the LMS gradebook from here (hnscc_edu.grade_passback). Its failure is logged,
        # never the learner's problem.
        self.on_post_test_passed: Callable[[str, AttemptResult], None] | None = None

    # -- what the service owns ----------------------------------------------------------------------------------
    @property
    def content(self) -> CourseContent:
        with self._lock:
            if self._content is None:
                private = self.private if self.private is not None else private_content_dir()
                self._content = load_course(self.root or course_root(), private=private)
            return self._content

    @property
    def store(self) -> Store:
        with self._lock:
            if self._store is None:
                self._store = Store(self.url)
            return self._store

    @property
    def mode(self) -> str:
        return "practice" if self.practice else "credit"

    def path(self, learner: str) -> LearnerPath:
        return LearnerPath(
            self.content,
            self.store,
            learner,
            clock=self.clock,
            signer=self.signer,
            key_folder=self.key_folder,
            practice=self.practice,
        )

    # -- the path to credit ---------------------------------------------------------------------------------------
    def status(self, learner: str, path: LearnerPath | None = None) -> dict[str, Any]:
        """Where the learner is, with what the page of that step needs and nothing of a key."""
        path = path or self.path(learner)
        state, step = path.state, path.step
        content = path.content
        kind = path.credit_type
        test = None
        if step in (Step.pre_test, Step.post_test):
            try:
                items = path.test_items()
            except PathError:
                items = None
            if items is not None:
                current = state.current_attempt
                test = {
                    "purpose": path.test_purpose,
                    "attempt": current.number if current is not None and step is Step.post_test else 1,
                    "pass_mark": current.pass_mark if current is not None and step is Step.post_test else None,
                    "items": [public_item_json(item) for item in items],
                    "answered": {item_id: response for item_id, (response, _) in path.answers().items()},
                }
        finished = [a for a in state.attempts if a.finished]
        passed = next((a for a in state.attempts if a.passed), None)
        return {
            "learner_id": learner,
            "mode": self.mode,
            "step": step.value,
            "acknowledged": state.acknowledged_at is not None,
            "profession": state.profession,
            "degree": state.degree,
            "pretest": state.pretest,
            "attempts": [
                {
                    "number": a.number,
                    "pass_mark": a.pass_mark,
                    "percent": a.percent,
                    "passed": a.passed,
                    "finished": a.finished,
                }
                for a in state.attempts
            ],
            "attempts_left": path.attempts_left,
            "evaluated": state.evaluated,
            "attested_minutes": state.attested_minutes,
            "credit": state.credit,
            "full_name": state.full_name,
            "certificate_id": state.certificate_id,
            "path_minutes": state.path_minutes,
            "minutes_on_path": path.minutes_on_path(),
            "time_flagged": path.time_flagged,
            "follow_up": _follow_up_json(path.follow_up()),
            "core_path": [
                {
                    "case_id": case_id,
                    "finished": done,
                    "title": content.cases[case_id].title if case_id in content.cases else case_id,
                    "module": content.cases[case_id].module if case_id in content.cases else None,
                }
                for case_id, done in path.core_progress()
            ],
            "cases": self.case_progress(learner),
            "pool": {
                "pre": len(path.pre_bank.items) if path.pre_bank else 0,
                "post": len(path.post_bank.items) if path.post_bank else 0,
            },
            "expired": path.expired,
            "credit_type": None
            if kind is None
            else {"id": kind.id, "certificate_title": kind.certificate_title, "amount_label": kind.amount_label},
            "test": test,
            "last_result": attempt_json(path.attempt_results(finished[-1].number)) if finished else None,
            "passed_result": attempt_json(path.attempt_results(passed.number)) if passed else None,
        }

    def case_progress(self, learner: str) -> dict[str, str]:
        """Each case this learner has begun: "finished" (in any run) or "started" (for the course map)."""
        finished = self.store.completed_cases(learner)
        started = self.store.started_cases(learner)
        return {case_id: "finished" if case_id in finished else "started" for case_id in sorted(finished | started)}

    def act(self, learner: str, action: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """One step of the path (``action`` as in the URL), then the new status; PathError when it does not fit."""
        path = self.path(learner)
        extra: dict[str, Any] = {}
        if action == "acknowledge":
            path.acknowledge(_text(body, "profession"), _text(body, "degree"))
        elif action == "pretest/start":
            path.start_pretest()
        elif action == "pretest/skip":
            path.skip_pretest()
        elif action == "posttest/start":
            path.start_posttest()
        elif action == "answer":
            item_id = _text(body, "item_id")
            if item_id is None:
                raise PathError("That question is not part of the test on screen.")
            path.answer(item_id, body.get("response"))
            extra["saved"] = item_id
        elif action == "finish":
            result = path.finish_test()
            if result.purpose == "post" and result.passed and self.on_post_test_passed is not None:
                try:
                    self.on_post_test_passed(learner, result)
                except Exception:
                    log.exception("recording the grade passback of %s failed", learner)
            # The pre-test's feedback is never sent: its items are the twins of post-test items.
            extra["result"] = (
                attempt_json(result) if result.purpose == "post" else {**attempt_json(result), "results": []}
            )
        elif action == "follow-up":
            outcomes = body.get("outcomes")
            path.submit_follow_up(outcomes if isinstance(outcomes, dict) else {}, _text(body, "barriers"))
        elif action == "evaluation":
            met, commitments = body.get("met"), body.get("commitments")
            bias = body.get("free_of_bias")
            intents, answers = body.get("intents"), body.get("answers")
            path.submit_evaluation(
                met if isinstance(met, dict) else {},
                {k: v for k, v in (commitments or {}).items() if isinstance(v, str)}
                if isinstance(commitments, dict)
                else {},
                bias if isinstance(bias, bool) else None,
                _text(body, "bias_comment"),
                intents=intents if isinstance(intents, dict) else {},
                answers=answers if isinstance(answers, dict) else {},
                barrier_comment=_text(body, "barrier_comment"),
            )
        elif action == "attestation":
            from ..export.certificates import unprintable_characters

            minutes, name = body.get("minutes"), _text(body, "full_name")
            bad = unprintable_characters(name or "")
            if bad:
                raise PathError(
                    f"The certificate cannot print these characters of your name: {bad}. Please write "
                    "it with letters the certificate can show (Latin, Greek or Cyrillic script)."
                )
            path.attest(name, minutes if isinstance(minutes, int) else None, body.get("confirmed") is True)
        elif action == "certificate":
            from ..export import certificates

            record = path.certificate()
            extra["certificate"] = {
                "certificate_id": record.certificate_id,
                "payload": record.payload,
                "signature": record.signature,
                "draft": record.draft,
                "practice": record.practice,
                "pdf": base64.b64encode(certificates.render(record)).decode("ascii"),
            }
        else:
            raise UnknownCase(f"There is no step {action!r}.")
        return {**self.status(learner, path), **extra}

    # -- cases (participation) ------------------------------------------------------------------------------------
    def _case_session(self, learner: str, case_id: str) -> tuple[CaseSession, LearnerPath]:
        case = self.content.cases.get(case_id)
        if case is None:
            raise UnknownCase(f"There is no case {case_id!r} in this course.")
        path = self.path(learner)
        if path.state.acknowledged_at is None:
            raise NotAcknowledged(
                "Please read and acknowledge the activity information on the start page first: "
                "the disclosures come before the cases."
            )
        return CaseSession(case, self.store, learner, path.state.profession), path

    @staticmethod
    def case_json(session: CaseSession) -> dict[str, Any]:
        history = session.store.case_history(session.learner_id, session.case.id)
        # the profession decides which questions are optional (case_flow); the player shows the same rule
        return {
            "case_id": session.case.id,
            "run": history.run,
            "answers": [list(a) for a in history.answers],
            "moves": history.moves,
            "completed": history.completed,
            "profession": session.profession,
        }

    def case(self, learner: str, case_id: str) -> dict[str, Any]:
        session, _ = self._case_session(learner, case_id)
        return self.case_json(session)

    def case_act(self, learner: str, case_id: str, action: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Answer, advance or restart a case: the service's session checks the flow (a stage moves on only when its
        questions are answered), records it and returns the case's stored history."""
        session, path = self._case_session(learner, case_id)
        extra: dict[str, Any] = {}
        if action == "answer":
            item_id = _text(body, "item_id") or ""
            item = next((i for i in session.case.items if i.id == item_id), None)
            response = body.get("response")
            if item is not None:
                response = canonical_response(item, response)
            extra["result"] = grade_json(session.submit(item_id, response))
        elif action == "advance":
            at = body.get("at")
            here = [session.run, len(session.state.path), session.state.completed]
            if at is not None and at != here:
                extra["moved"] = False  # a second click meant for a stage the learner has already left
            else:
                session.advance()
                extra["moved"] = True
                if session.state.completed:
                    path.refresh()  # the last core-path case: the session records that the core path is finished
        elif action == "restart":
            session.restart()
        else:
            raise UnknownCase(f"There is no case action {action!r}.")
        return {**self.case_json(session), **extra}

    # -- module self-checks (on a hub the learner's kernel has no store: they are kept here) ---------------------------
    def _bank_session(self, learner: str, bank_id: str) -> BankSession:
        bank = self.content.banks.get(bank_id)
        if bank is None or bank.purpose != "module":  # never the pre- or post-test through this door
            raise UnknownCase(f"There is no module self-check {bank_id!r} in this course.")
        return BankSession(bank, self.store, learner, self.path(learner).state.profession)

    @staticmethod
    def bank_json(session: BankSession) -> dict[str, Any]:
        """The run as the session holds it (just read from, or written to, the store)."""
        return {
            "bank_id": session.bank.id,
            "run": session.run,
            "answers": [[item_id, answer.response] for item_id, answer in session.answers.items()],
            "profession": session.profession,
        }

    def bank(self, learner: str, bank_id: str) -> dict[str, Any]:
        return self.bank_json(self._bank_session(learner, bank_id))

    def bank_act(self, learner: str, bank_id: str, action: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Answer a self-check question (graded and stored, first answer kept) or start the self-check again."""
        session = self._bank_session(learner, bank_id)
        extra: dict[str, Any] = {}
        if action == "answer":
            extra["result"] = grade_json(session.submit(_text(body, "item_id") or "", body.get("response")))
        elif action == "restart":
            session.restart()
        else:
            raise UnknownCase(f"There is no self-check action {action!r}.")
        return {**self.bank_json(session), **extra}

    # -- for course directors (the handlers check the role) --------------------------------------------------------
    def report(self) -> dict[str, Any]:
        """The outcomes report of the whole store (``export.report``), as ``ReportData.as_json``."""
        from ..export import report

        return report.build(self.content, self.store).as_json()

    def revoke(self, director: str, certificate_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Revoke a certificate (RevocationRefused: no reason, unknown, already revoked); logged with the director."""
        record = revoke_certificate(self.store, certificate_id, _text(body, "reason"))
        log.warning("certificate %s revoked by course director %s", record.certificate_id, director)
        return {"certificate_id": record.certificate_id, "status": "revoked"}


def _text(body: Mapping[str, Any], key: str) -> str | None:
    value = body.get(key)
    return value[:MAX_TEXT_FIELD] if isinstance(value, str) else None


def _follow_up_json(state) -> dict:
    return {
        "status": state.status,
        "objectives": list(state.objectives),
        "due_from": state.due_from.isoformat() if state.due_from else None,
        "due_until": state.due_until.isoformat() if state.due_until else None,
    }
