"""A learner's path to credit, bound to the store: every step is checked by the pure machine, written to the store,
and only then applied, so a kernel restart, a re-run or a Voila reload resumes exactly where the learner stopped.

Only the course service (``hnscc_edu.service``) and the course director's commands build one: a learner's kernel
talks to the service over HTTP and never holds the store or the post-test keys. The modules step is not a button:
the session records ``core_path_finished`` itself once the store holds a finished run of every core-path case.
``practice=True`` (a service that shares its machine with the learner) issues practice records, never certificates
of credit.

The clock is a parameter (``clock``): tests fix it, for example after the termination date; the simulated cohort
moves it along. So is the certificate signing key (``signer``): by default the provider's key, read from its folder
(``hnscc_edu.keys``) when a certificate is issued; a demo in a throw-away store passes a throw-away key.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..content.course import CourseContent
from ..content.models import ItemBank, Profession
from ..rules import assessment, learner_path
from ..rules.assessment import AttemptResult
from ..rules.credit import (
    DEFAULT_PUBLIC_URL,
    CertificateRecord,
    attested_time_flagged,
    certificate_payload,
    credit_for_minutes,
    credit_type_for,
    minutes_for_first_increment,
    payload_hash,
    record_bytes,
    signed_upgrade,
)
from ..rules.evaluation import INTENT_CHOICES, MET_CHOICES, checked_answers, free_text
from ..rules.follow_up import FollowUp, checked_outcomes, committed, follow_up
from ..rules.grading import GradeResult, InvalidResponse, canonical_response, grade
from ..rules.learner_path import PathError, PathEvent, PathState, Rules, Step, apply, replay
from ..rules.signing import Signer, SigningKeyError
from ..store import Store
from ..store.credit import CreditStore
from ..store.database import utc_now

Clock = Callable[[], dt.datetime]
PUBLIC_URL_VARIABLE = "HNSCC_EDU_PUBLIC_URL"


class CertificateKeyError(PathError):
    """A certificate was earned, but the provider's signing key cannot be read, so none can be issued now."""


def public_url() -> str:
    """The course server's public address, printed on certificates: ``HNSCC_EDU_PUBLIC_URL`` or the local default."""
    return os.environ.get(PUBLIC_URL_VARIABLE) or DEFAULT_PUBLIC_URL


class LearnerPath:
    def __init__(
        self,
        content: CourseContent,
        store: Store,
        learner_id: str,
        clock: Clock | None = None,
        signer: Signer | None = None,
        key_folder: Path | None = None,
        practice: bool = False,
    ) -> None:
        if content.info is None:
            raise PathError("The course file (course.yaml) is missing or has problems; run 'hnscc-edu validate'.")
        self.content = content
        self.info = content.info
        self.store = store
        self.learner_id = learner_id
        self.clock = clock or utc_now  # resolved here, not at import, so a test can fix the command's clock
        self.signer = signer
        self.key_folder = key_folder  # where the provider's key is read from when ``signer`` is None
        self.practice = practice
        self.rules = Rules.from_course(self.info)
        self.pre_bank = self._bank("pre")
        self.post_bank = self._bank("post")
        self.credit_store = CreditStore(store)
        self.refresh()

    def _bank(self, purpose: str) -> ItemBank | None:
        return next((b for b in self.content.banks.values() if b.purpose == purpose), None)

    # -- state -------------------------------------------------------------------------------------------------
    @property
    def core_case_ids(self) -> list[str]:
        """The cases a learner must finish before the post-test: the course's core path, or every case when the
        course names none."""
        return list(self.info.core_path) or sorted(self.content.cases)

    def core_progress(self) -> list[tuple[str, bool]]:
        """(case id, finished) for each case of the core path: finished when the store holds a finished run of it."""
        done = self.store.completed_cases(self.learner_id)
        return [(case_id, case_id in done) for case_id in self.core_case_ids]

    def refresh(self) -> None:
        """Re-read the learner's events and answers (another tab or kernel may have moved on). A learner at the
        modules step whose core-path cases are all finished in the store moves on: ``core_path_finished`` is
        recorded here, the one place it is written."""
        events = [
            PathEvent(kind, at, MappingProxyType(dict(data)))
            for kind, at, data in self.credit_store.events(self.learner_id)
        ]
        self.state: PathState = replay(events, self.rules)
        self._sync_core_path()
        items = {b.id: {i.id: i for i in b.items} for b in (self.pre_bank, self.post_bank) if b is not None}
        self._answers: dict[tuple[str, int], dict[str, tuple[object, GradeResult]]] = {}
        # the tests' answers only: a learner's case answers (most of their rows) are not read again at every step
        for row in self.store.attempt_rows(self.learner_id, context="bank"):
            if row["context_id"] not in items:
                continue
            item = items[row["context_id"]].get(row["item_id"])
            answers = self._answers.setdefault((row["context_id"], row["run"]), {})
            if item is None or item.id in answers:
                continue  # an item removed from the bank since, or a racing second answer: the first one counts
            response = json.loads(row["response"])
            try:
                answers[item.id] = (response, grade(item, response))
            except InvalidResponse:
                continue  # the item's options changed since: the stored answer stays in the store, unscored

    def _sync_core_path(self) -> None:
        """At the modules step with every core-path case finished in the store: record ``core_path_finished`` (the
        only place it is written)."""
        if self.step is Step.modules and all(done for _, done in self.core_progress()):
            event = PathEvent("core_path_finished", self.clock(), MappingProxyType({"cases": self.core_case_ids}))
            new_state = apply(self.state, event, self.rules)
            self.credit_store.record_event(self.learner_id, (event.kind, event.at, dict(event.data)))
            self.state = new_state

    @property
    def step(self) -> Step:
        return learner_path.step(self.state, self.rules)

    @property
    def today(self) -> dt.date:
        return self.clock().date()

    @property
    def expired(self) -> bool:
        return self.today > self.info.termination_date

    def _apply(self, kind: str, data: Mapping | None = None, write: Callable | None = None) -> PathEvent:
        """Check the step with the pure machine, write it (with ``write`` for steps with details), then apply it."""
        self.refresh()
        event = PathEvent(kind, self.clock(), MappingProxyType(dict(data or {})))
        new_state = apply(self.state, event, self.rules)
        stored = (event.kind, event.at, dict(event.data))
        if write is None:
            self.credit_store.record_event(self.learner_id, stored)
        else:
            write(stored)
        self.state = new_state
        self._sync_core_path()  # a learner who finished the core-path cases first moves on
        return event

    # -- activity information ----------------------------------------------------------------------------------
    def acknowledge(self, profession: str | None, degree: str | None) -> None:
        professions = {p.value for p in Profession}
        if profession not in professions:
            raise PathError("Please choose your profession from the list.")
        if degree not in self.info.credit.degrees:
            raise PathError("Please choose your degree from the list (choose 'Other' if yours is not there).")
        self._apply("acknowledged", {"profession": profession, "degree": degree})

    # -- tests -------------------------------------------------------------------------------------------------
    def start_pretest(self) -> list:
        if self.pre_bank is None:
            raise PathError("This course has no pre-test; skip to the modules.")
        self._apply("pretest_started", {"items": assessment.order(self.pre_bank.items, self.learner_id, "pre-test")})
        return self.test_items()

    def skip_pretest(self) -> None:
        self._apply("pretest_skipped")

    def start_posttest(self) -> list:
        if self.post_bank is None:
            raise PathError("This course has no post-test bank; ask the course director to add one.")
        number = len(self.state.attempts) + 1
        objectives = [o.id for o in self.info.objectives]
        # The items of the learner's earlier attempts, as replayed from the stored path events: the new draw
        # prefers items not seen before.
        seen = {item_id for attempt in self.state.attempts for item_id in attempt.items}
        try:
            items = assessment.draw(
                self.post_bank.items, objectives, self.info.post_test.items_per_attempt, self.learner_id, number, seen
            )
        except ValueError as exc:
            raise PathError(f"The post-test cannot be drawn: {exc}. Please tell the course director.") from exc
        self._apply(
            "posttest_started",
            {
                "attempt": number,
                "items": items,
                "pass_mark": self.info.passing_score_percent,
                "max_attempts": self.info.post_test.max_attempts,
            },
        )
        return self.test_items()

    def _open_test(self) -> tuple[ItemBank, int, tuple[str, ...]]:
        """The bank, run and item ids of the test in progress; PathError when there is none."""
        if self.step is Step.pre_test and self.state.pretest == "in_progress" and self.pre_bank is not None:
            return self.pre_bank, 1, self.state.pretest_items
        attempt = self.state.current_attempt
        if self.step is Step.post_test and attempt is not None and self.post_bank is not None:
            return self.post_bank, attempt.number, attempt.items
        raise PathError("There is no test in progress.")

    @property
    def test_purpose(self) -> str:
        bank, _, _ = self._open_test()
        return bank.purpose

    def test_items(self) -> list:
        """The items of the test in progress, in the learner's order (post-test options shuffled per attempt).

        An item removed from the bank after the attempt started is left out (and not required)."""
        bank, run, ids = self._open_test()
        by_id = {item.id: item for item in bank.items}
        items = [by_id[i] for i in ids if i in by_id]
        if bank.purpose == "post":
            items = [assessment.shuffle_options(item, self.learner_id, run) for item in items]
        return items

    def answers(self) -> dict[str, tuple[object, GradeResult]]:
        bank, run, _ = self._open_test()
        return dict(self._answers.get((bank.id, run), {}))

    def answer(self, item_id: str, response: object) -> GradeResult:
        """Grade and store one answer of the test in progress (store first; the first answer is the one kept).

        Not re-read from the store first: a racing second answer from another tab is harmless (the first stored
        answer counts on every read), and ``finish_test`` re-reads before scoring."""
        bank, run, ids = self._open_test()
        item = next((i for i in bank.items if i.id == item_id), None)
        if item is None or item_id not in ids:
            raise PathError("That question is not part of the test on screen.")
        answers = self._answers.setdefault((bank.id, run), {})
        if item_id in answers:
            raise PathError("This question is already answered; your first answer is the one recorded.")
        response = canonical_response(item, response)
        result = grade(item, response)
        self.store.record_attempt(
            self.learner_id, "bank", bank.id, run, item_id, response, result.score, result.max_score, result.correct
        )
        answers[item_id] = (response, result)
        return result

    def finish_test(self) -> AttemptResult:
        """Score the test in progress once every question is answered, and record the step."""
        self.refresh()
        bank, run, _ = self._open_test()
        items = self.test_items()
        answers = self._answers.get((bank.id, run), {})
        missing = [item for item in items if item.id not in answers]
        if missing:
            raise PathError(f"Please answer every question first ({len(missing)} still open).")
        results = tuple(answers[item.id][1] for item in items)
        score = sum(r.score for r in results)
        maximum = sum(r.max_score for r in results)
        if bank.purpose == "pre":
            self._apply(
                "pretest_completed",
                {"score": score, "max_score": maximum, "percent": round(assessment.percent(score, maximum), 4)},
            )
            return AttemptResult("pre", 1, score, maximum, None, results)
        attempt = self.state.current_attempt
        assert attempt is not None  # _open_test found it
        # Stored rounded: the machine decides the pass from the stored percent, so a float sum such as 69.9999999
        # for an exact 70% must not fail the learner.
        value = round(assessment.percent(score, maximum), 4)
        self._apply("posttest_finished", {"attempt": run, "score": score, "max_score": maximum, "percent": value})
        return AttemptResult("post", run, score, maximum, attempt.pass_mark, results)

    def attempt_results(self, number: int) -> AttemptResult | None:
        """A finished post-test attempt with its graded answers (for showing feedback after a reload)."""
        attempt = next((a for a in self.state.attempts if a.number == number and a.finished), None)
        if attempt is None or self.post_bank is None:
            return None
        answers = self._answers.get((self.post_bank.id, number), {})
        results = tuple(answers[i][1] for i in attempt.items if i in answers)
        return AttemptResult(
            "post", number, sum(r.score for r in results), sum(r.max_score for r in results), attempt.pass_mark, results
        )

    @property
    def attempts_left(self) -> int:
        return max(0, self.info.post_test.max_attempts - len(self.state.attempts))

    # -- evaluation, attestation, certificate ------------------------------------------------------------------
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
        """The evaluation (``rules.evaluation``): asked of everyone who finishes, whether they passed or used up
        their attempts. Per objective: met?, intent to change and an optional commitment; then the rated questions,
        commercial bias with a comment, and barriers."""
        rows: list[tuple[str, str, str | None, str]] = []
        for objective in self.info.objectives:
            answer = met.get(objective.id)
            if answer not in MET_CHOICES:
                raise PathError(f"Please say whether objective {objective.module} was met (yes, partly or no).")
            intent = intents.get(objective.id)
            if intent not in INTENT_CHOICES:
                raise PathError(
                    f"Please say whether you intend to change your practice (objective {objective.module})."
                )
            rows.append((objective.id, answer, free_text(commitments.get(objective.id)), intent))
        if not isinstance(free_of_bias, bool):
            raise PathError("Please say whether the content was free of commercial bias.")
        rated = checked_answers(answers)
        comment, barriers = free_text(bias_comment), free_text(barrier_comment)
        self._apply(
            "evaluation_submitted",
            {"objectives": len(rows), "free_of_bias": free_of_bias, "passed": self.state.passed},
            write=lambda event: self.credit_store.record_evaluation(
                self.learner_id, event, free_of_bias, comment, rows, rated, barriers
            ),
        )

    # -- follow-up of commitments (60-90 days after the evaluation) ----------------------------------------------
    def follow_up(self) -> FollowUp:
        """Where this learner's follow-up stands today (``rules.follow_up``)."""
        first = self.credit_store.first_evaluation(self.learner_id)
        if first is None:
            return FollowUp("none")
        submitted_at, intents = first
        answered = bool(self.credit_store.follow_up_rows(self.learner_id))
        return follow_up(submitted_at.date(), committed(intents), answered, self.today)

    def submit_follow_up(self, outcomes: Mapping[str, Any], barriers: str | None = None) -> None:
        """Whether each committed change was made, and what got in the way; once."""
        checked = checked_outcomes(self.follow_up(), outcomes)
        if not self.credit_store.record_follow_up(self.learner_id, self.clock(), checked, free_text(barriers)):
            raise PathError("Your follow-up is already recorded; thank you.")

    def credit_preview(self, minutes: int) -> str:
        """The credit a number of attested minutes would give (for the form, before the learner confirms)."""
        settings = self.info.credit
        return f"{credit_for_minutes(minutes, settings.increment, settings.designated_amount):.2f}"

    def attest(self, full_name: str | None, minutes: int | None, confirmed: bool) -> str:
        """Record the learner's attestation of the time spent; returns the credit it gives (e.g. "0.75")."""
        if not confirmed:
            raise PathError("Please tick the box to attest that the time you give is the time you spent.")
        name = " ".join((full_name or "").split())
        if not name:
            raise PathError("Please write your name as it should appear on the certificate.")
        if len(name) > 200:
            raise PathError("Please shorten your name to 200 characters or fewer.")
        settings = self.info.credit
        try:
            credit = credit_for_minutes(minutes, settings.increment, settings.designated_amount)  # type: ignore[arg-type]
        except ValueError as exc:
            raise PathError(str(exc)) from exc
        if credit <= 0:
            raise PathError(
                f"{minutes} minutes round to no credit; at least "
                f"{minutes_for_first_increment(settings.increment)} minutes are needed."
            )
        text = f"{credit:.2f}"
        on_path = self.minutes_on_path()
        self._apply(
            "time_attested",
            {"minutes": minutes, "credit": text, "full_name": name, "path_minutes": on_path},
            write=lambda event: self.credit_store.record_attestation(
                self.learner_id, event, name, minutes, float(credit)
            ),
        )
        return text

    def minutes_on_path(self) -> float | None:
        """Minutes from the learner's first recorded step (the acknowledgement, which every case and test follows)
        to now; None before the first step."""
        if not self.state.history:
            return None
        return round(max(0.0, (self.clock() - self.state.history[0][1]).total_seconds() / 60), 1)

    @property
    def time_flagged(self) -> bool:
        """The attested time is far above the time on the path (``credit.attested_time_flagged``)."""
        return attested_time_flagged(self.state.attested_minutes, self.state.path_minutes)

    @property
    def credit_type(self):
        if self.state.profession is None or self.state.degree is None:
            return None
        return credit_type_for(self.state.profession, self.state.degree, self.info.credit)

    def _signer(self) -> Signer:
        if self.signer is None:
            from ..keys import load_signer  # the provider's key, read only when a certificate is signed

            try:
                self.signer = load_signer(self.key_folder)
            except SigningKeyError as exc:
                raise CertificateKeyError(f"Your certificate is earned, but it cannot be issued yet: {exc}") from exc
        return self.signer

    def certificate(self) -> CertificateRecord:
        """The learner's certificate: issued now when earned and the activity is open, else the one already issued
        (signed now when it was issued before certificates were signed).

        Raises PathError when it is not earned, after the termination date for a certificate not yet issued, and
        when the certificate was revoked; CertificateKeyError when the signing key cannot be read."""
        self.refresh()
        existing = self.credit_store.certificate_for(self.learner_id)
        if existing is not None:
            record = record_from_row(existing)
            if record.revoked_at is not None:
                raise PathError(
                    f"Certificate {record.certificate_id} was revoked on "
                    f"{record.revoked_at.date().isoformat()} ({record.revocation_reason}). Please "
                    "contact the course director."
                )
            return record if record.signature is not None else self._sign_issued(record)
        state = self.state
        certificate_id = f"HNSCC-{secrets.token_hex(5).upper()}"
        now = self.clock()
        # The event is checked before the payload is built, so a refusal (not earned, expired) says why.
        new_state = apply(state, PathEvent("certificate_issued", now, {"certificate_id": certificate_id}), self.rules)
        assert state.completed_at is not None and state.full_name and state.credit  # the machine checked these
        signer = self._signer()
        payload = certificate_payload(
            certificate_id,
            state.full_name,
            state.profession or "",
            state.degree or "",
            state.credit,
            state.completed_at.date(),
            now.date(),
            self.info,
            public_url=public_url(),
            key_id=signer.key_id,
            practice=self.practice,
        )
        digest, signature = payload_hash(payload), signer.sign(record_bytes(payload))
        stored = (
            "certificate_issued",
            now,
            {"certificate_id": certificate_id, "sha256": digest, "key_id": signer.key_id},
        )
        if not self.credit_store.record_certificate(
            self.learner_id, stored, certificate_id, payload, digest, signature
        ):
            self.refresh()  # a second tab issued one a moment ago: that one is the certificate
            row = self.credit_store.certificate_for(self.learner_id)
            if row is None:
                raise PathError("Your certificate could not be saved; please try again.")
            return record_from_row(row)
        self.state = new_state
        return CertificateRecord(certificate_id, self.learner_id, payload, digest, now, signature)

    def _sign_issued(self, record: CertificateRecord) -> CertificateRecord:
        """Sign a certificate issued before certificates were signed: the same statements, id and dates."""
        signer = self._signer()
        payload = signed_upgrade(record.payload, self.info, public_url=public_url(), key_id=signer.key_id)
        digest, signature = payload_hash(payload), signer.sign(record_bytes(payload))
        self.credit_store.sign_certificate(record.certificate_id, payload, digest, signature)
        row = self.credit_store.certificate(record.certificate_id)  # this signature, or one made a moment earlier
        assert row is not None
        return record_from_row(row)


def record_from_row(row: Mapping) -> CertificateRecord:
    return CertificateRecord(
        row["certificate_id"],
        row["learner_id"],
        dict(row["payload"]),
        row["sha256"],
        row["issued_at"],
        row.get("signature"),
        row.get("revoked_at"),
        row.get("revocation_reason"),
    )


MAX_REVOCATION_REASON = 2000  # characters


class RevocationRefused(ValueError):
    """A revocation that was not made (no reason, an unknown or already revoked certificate): the message says why;
    ``bad_input``: the reason given is the problem."""

    def __init__(self, message: str, bad_input: bool = False) -> None:
        super().__init__(message)
        self.bad_input = bad_input


def revoke_certificate(
    store: Store, certificate_id: str, reason: str | None, now: dt.datetime | None = None
) -> CertificateRecord:
    """Revoke an issued certificate (its verification page then says revoked) and return its record as it was;
    RevocationRefused when there is no reason, no such certificate, or it was already revoked (the first stands).
    Used by ``hnscc-edu revoke-certificate`` and by the hub's course server for course directors."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise RevocationRefused("Give the reason for the revocation.", bad_input=True)
    if len(reason) > MAX_REVOCATION_REASON:
        raise RevocationRefused(f"Shorten the reason to {MAX_REVOCATION_REASON} characters or fewer.", bad_input=True)
    certificate_id = certificate_id.strip().upper()
    credit_store = CreditStore(store)
    row = credit_store.certificate(certificate_id)
    if row is None:
        raise RevocationRefused(f"There is no certificate {certificate_id} in the store.")
    record = record_from_row(row)
    if record.revoked_at is not None:
        raise RevocationRefused(
            f"Certificate {certificate_id} was already revoked on "
            f"{record.revoked_at.date().isoformat()}: {record.revocation_reason}"
        )
    if not credit_store.revoke(certificate_id, reason, now or utc_now()):
        raise RevocationRefused(f"Certificate {certificate_id} was revoked a moment ago by someone else.")
    return record
