"""The presenter's dashboard on a hub: the live polls of the hub's course server, over HTTP.

On a hub the presenter's kernel holds no store (only the course service does), so the dashboard
(``ui.presenter``) calls the live-poll interface of the course server instead of ``store.live.LiveStore``.
``RemoteLiveStore`` has the methods of ``LiveStore`` that the dashboard uses, with the same answers and the same
errors (``rules.live``'s refusals, ``StoreError`` when the server cannot be reached), so the dashboard is one piece of
code for both. A session is started with the director's hub token; each call then carries the session's presenter
token when the dashboard has one, else the hub token (which the server accepts from a hub admin or a course director,
so a director resumes a session with its code alone).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from ..rules import live as rules
from ..rules.live import Choice, LiveSession, Poll, PollAction, PollResults, PollState
from . import SERVICE_URL_VARIABLE

LIVE_SERVICE_URL_VARIABLE = "HNSCC_EDU_LIVE_SERVICE_URL"
from .client import NOT_CONNECTED, NotConnected, ServiceUnavailable, http_json

_REFUSALS = {
    400: rules.LiveInputError,
    401: rules.TokenMissing,
    403: rules.TokenRejected,
    404: rules.LiveNotFound,
    409: rules.PollStateError,
    429: lambda message: rules.TooManyRequests(message, 1.0),
}


def _session(data: Mapping[str, Any]) -> LiveSession:
    return LiveSession(str(data["code"]), str(data["title"]), int(data["min_votes"]), data.get("current_poll"))


def _poll(code: str, data: Mapping[str, Any]) -> Poll:
    choices = tuple(Choice(str(c["id"]), str(c["text"])) for c in data["choices"])
    return Poll(
        int(data["id"]),
        code,
        data.get("item"),
        data.get("phase"),
        str(data["question"]),
        choices,
        PollState(data["state"]),
    )


class RemoteLiveStore:
    """The live polls of the hub's live-poll server (``HNSCC_EDU_LIVE_SERVICE_URL``; else the course server at
    ``HNSCC_EDU_SERVICE_URL``), called with the kernel's hub token (``JUPYTERHUB_API_TOKEN``) or a session's
    presenter token."""

    def __init__(
        self, url: str | None = None, hub_token: str | None = None, environ: Mapping[str, str] | None = None
    ) -> None:
        environ = os.environ if environ is None else environ
        # the hub's live-poll server (its own process), else the course server's own live polls
        self.url = (url or environ.get(LIVE_SERVICE_URL_VARIABLE) or environ.get(SERVICE_URL_VARIABLE, "")).strip()
        self.hub_token = hub_token if hub_token is not None else environ.get("JUPYTERHUB_API_TOKEN", "")
        if not self.url:
            raise NotConnected(NOT_CONNECTED)
        self._tokens: dict[str, str] = {}  # code -> the presenter token last used with it (for ``poll``)
        self._participants: dict[tuple[str, str], str] = {}  # (code, the rehearsal's name) -> the issued id

    def _call(self, method: str, path: str, token: str | None = None, body: Mapping[str, Any] | None = None) -> dict:
        authorization = f"Bearer {token}" if token else (f"token {self.hub_token}" if self.hub_token else "")
        status, answer = http_json(method, f"{self.url.rstrip('/')}/{rules.PREFIX}/{path}", body, authorization)
        if status < 400:
            return answer
        message = answer.get("error") or f"The course server answered {status}."
        if status in _REFUSALS:
            raise _REFUSALS[status](message)
        raise ServiceUnavailable(message)

    # -- what the presenter's dashboard calls (the names and answers of store.live.LiveStore) -------------------------
    def create_session(self, title: str, min_votes: int = rules.DEFAULT_MIN_VOTES) -> tuple[LiveSession, str]:
        answer = self._call("POST", "sessions", body={"title": title, "min_votes": min_votes})
        session, token = _session(answer), str(answer["token"])
        self._tokens[session.code] = token
        return session, token

    def authorize(self, code: str, token: str | None) -> LiveSession:
        session = _session(self._call("GET", f"{rules.normalise_code(code)}/session", token))
        if token:
            self._tokens[session.code] = token
        return session

    def set_min_votes(self, code: str, token: str | None, min_votes: int) -> LiveSession:
        return _session(self._call("POST", f"{code}/session", token, {"min_votes": min_votes}))

    def polls(self, code: str, token: str | None) -> list[Poll]:
        return [_poll(code, data) for data in self._call("GET", f"{code}/polls", token)["polls"]]

    def open_poll(
        self,
        code: str,
        token: str | None,
        question: str,
        choices: tuple[Choice, ...],
        item_id: str | None = None,
        phase: str | None = None,
    ) -> Poll:
        body = {
            "question": question,
            "choices": [{"id": c.id, "text": c.text} for c in choices],
            "item": item_id,
            "phase": phase,
        }
        answer = self._call("POST", f"{code}/polls", token, body)
        return Poll(int(answer["poll"]), code, item_id, phase, question, tuple(choices), PollState(answer["state"]))

    def poll(self, code: str, poll_id: int, token: str | None = None) -> Poll:
        for found in self.polls(code, token or self._tokens.get(code)):
            if found.id == poll_id:
                return found
        raise rules.LiveNotFound("There is no poll with that number.")

    def transition(self, code: str, token: str | None, poll_id: int, action: PollAction | str) -> Poll:
        verb = action.value if isinstance(action, PollAction) else str(action)
        self._call("POST", f"{code}/polls/{poll_id}/{verb}", token)
        return self.poll(code, poll_id, token)

    def results(self, code: str, token: str | None, poll_id: int) -> PollResults:
        answer = self._call("GET", f"{code}/polls/{poll_id}/results", token)
        return PollResults(
            PollState(answer["state"]), {str(k): int(v) for k, v in answer["counts"].items()}, int(answer["total"])
        )

    def end_session(self, code: str, token: str | None) -> None:
        self._call("POST", f"{code}/end", token)

    def vote(self, code: str, poll_id: int, participant: str, choice: str) -> None:
        """A vote as a phone casts it (the rehearsal's): ``participant`` names the phone here; the session issues it
        an id on its first vote, as it does when a phone joins."""
        issued = self._participants.get((code, participant))
        if issued is None:
            issued = self._participants[(code, participant)] = self._call("POST", f"{code}/join")["participant"]
        self._call("POST", f"{code}/polls/{poll_id}/votes", body={"participant": issued, "choice": choice})
