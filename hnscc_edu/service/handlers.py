"""The course service's HTTP interface: tornado handlers under ``{base}hnscc/api/v1/``.

=======  =================================  ========================================================================
GET      ``me``                             the learner's path: step, results due, the test in progress (stems and
                                            options only), core-path progress, time on the path
POST     ``path/{action}``                  ``acknowledge``, ``pretest/start``, ``pretest/skip``, ``posttest/start``,
                                            ``answer``, ``finish``, ``evaluation``, ``attestation``, ``certificate``,
                                            ``follow-up`` (JSON body; answers the new status)
GET      ``cases/{case_id}``                the learner's stored run of a case (403 before the acknowledgement)
POST     ``cases/{case_id}/{action}``       ``answer`` (the graded feedback), ``advance``, ``restart``
GET      ``banks/{bank_id}``                a module self-check's current run (answers as stored)
POST     ``banks/{bank_id}/{action}``       ``answer`` (graded, stored, the result), ``restart``
GET      ``director/report``                course directors only: the outcomes report (``ReportData.as_json``)
POST     ``director/certificates/{id}/      course directors only: revoke a certificate (``{"reason": ...}``)
         revoke``
=======  =================================  ========================================================================

Every request is identified by the service's ``Authenticator`` (the hub token, or the per-server secret); none
names its learner. Errors are ``{"error": "<for a person>", "code": ...}``: 400 bad input, 401/403 credentials, 404
unknown, 409 a step that does not fit where the learner is, 413 too large, 503 store or hub unavailable; never a
traceback (the detail goes to the server's log). Store calls block, so they run on a small thread pool.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import tornado.web

from ..json_handler import JsonApiHandler, outside_jupyter_login
from ..rules.case_flow import FlowError
from ..rules.grading import InvalidResponse
from ..rules.json_input import bounded_json
from ..sessions.credit_session import CertificateKeyError, RevocationRefused
from ..store import StoreError
from . import PREFIX
from .auth import Authenticator, AuthError, Identity, require_director
from .core import CourseService, NotAcknowledged, UnknownCase

log = logging.getLogger("hnscc_edu.service")
MAX_BODY = 64 * 1024
PATH_ACTIONS = (
    "acknowledge",
    "pretest/start",
    "pretest/skip",
    "posttest/start",
    "answer",
    "finish",
    "evaluation",
    "attestation",
    "certificate",
    "follow-up",
)


class ServiceApp:
    """The service, its authenticator and the thread pool its calls run on (one per server process)."""

    def __init__(self, service: CourseService, authenticator: Authenticator, workers: int = 4) -> None:
        self.service = service
        self.authenticator = authenticator
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hnscc-service")

    async def run(self, work: Callable[[], Any]) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.executor, work)


class ServiceHandler(JsonApiHandler):
    SERVER_NAME = "course server"
    ENSURE_ASCII = False
    MAX_BODY = MAX_BODY

    def initialize(self, app: ServiceApp) -> None:
        self.app = app

    def body(self) -> dict:
        raw = self.body_bytes
        if len(raw) > MAX_BODY:
            raise _TooLarge()
        if not raw.strip():
            return {}
        try:
            data = bounded_json(raw)
        except ValueError as exc:
            raise InvalidResponse(f"The request body is not JSON we can read: {exc}") from exc
        if not isinstance(data, dict):
            raise InvalidResponse("The request body must be a JSON object.")
        return data

    async def answer(self, work: Callable[[Identity], Any], status: int = 200) -> None:
        """Identify the learner, run ``work(identity)`` on the pool and answer its JSON; errors as documented."""
        try:
            identity = await self.app.run(
                lambda: self.app.authenticator.identify(self.request.headers.get("Authorization"))
            )
            body = await self.app.run(lambda: work(identity))
        except AuthError as exc:
            if exc.status == 401:
                self.set_header("WWW-Authenticate", 'Bearer realm="hnscc-edu course service"')
            self.finish_json({"error": str(exc), "code": type(exc).__name__}, exc.status)
            return
        except _TooLarge:
            self.finish_json({"error": "The request is too large."}, 413)
            return
        except NotAcknowledged as exc:
            self.finish_json({"error": str(exc), "code": "not_acknowledged"}, 403)
            return
        except UnknownCase as exc:
            self.finish_json({"error": str(exc), "code": "not_found"}, 404)
            return
        except InvalidResponse as exc:  # before FlowError: an answer that cannot be graded (nothing stored)
            self.finish_json({"error": str(exc), "code": "invalid_response"}, 400)
            return
        except RevocationRefused as exc:
            self.finish_json({"error": str(exc), "code": "refused"}, 400 if exc.bad_input else 409)
            return
        except CertificateKeyError as exc:
            log.error("course service: certificate key unavailable: %s", exc)
            self.finish_json({"error": str(exc), "code": "certificate_key"}, 503)
            return
        except FlowError as exc:
            self.finish_json({"error": str(exc), "code": "refused"}, 409)
            return
        except StoreError as exc:
            log.warning("course service: store unavailable: %s", exc.__cause__ or exc)
            self.finish_json({"error": str(exc), "code": "store"}, 503)
            return
        except Exception:
            log.exception("course service request %s %s failed", self.request.method, self.request.path)
            self.finish_json({"error": "Sorry, the course server had a problem; please try again."}, 500)
            return
        self.finish_json(body, status)


class _TooLarge(Exception):
    pass


class StatusHandler(ServiceHandler):
    async def get(self) -> None:
        await self.answer(lambda who: self.app.service.status(who.learner_id))


class PathHandler(ServiceHandler):
    async def post(self, action: str) -> None:
        if action not in PATH_ACTIONS:
            raise tornado.web.HTTPError(404)
        await self.answer(lambda who: self.app.service.act(who.learner_id, action, self.body()))


class CaseHandler(ServiceHandler):
    async def get(self, case_id: str) -> None:
        await self.answer(lambda who: self.app.service.case(who.learner_id, case_id))


class CaseActionHandler(ServiceHandler):
    async def post(self, case_id: str, action: str) -> None:
        await self.answer(lambda who: self.app.service.case_act(who.learner_id, case_id, action, self.body()))


class BankHandler(ServiceHandler):
    async def get(self, bank_id: str) -> None:
        await self.answer(lambda who: self.app.service.bank(who.learner_id, bank_id))


class BankActionHandler(ServiceHandler):
    async def post(self, bank_id: str, action: str) -> None:
        await self.answer(lambda who: self.app.service.bank_act(who.learner_id, bank_id, action, self.body()))


class ReportHandler(ServiceHandler):
    async def get(self) -> None:
        def report(who: Identity) -> dict:
            require_director(who, "The outcomes report")
            return self.app.service.report()

        await self.answer(report)


class RevokeHandler(ServiceHandler):
    async def post(self, certificate_id: str) -> None:
        await self.answer(
            lambda who: self.app.service.revoke(
                require_director(who, "Revoking a certificate").learner_id, certificate_id, self.body()
            )
        )


class NotFoundHandler(ServiceHandler):
    def prepare(self) -> None:
        raise tornado.web.HTTPError(404)


def service_handlers(base_url: str, app: ServiceApp) -> list[tuple[str, type, dict]]:
    """The routes, under ``base_url`` (the server's, e.g. ``/`` or ``/user/ana/``)."""
    root = "/" + "/".join(p for p in (base_url.strip("/"), PREFIX) if p)
    args = {"app": app}
    case = r"(?P<case_id>[A-Za-z0-9_.-]{1,100})"
    bank = r"(?P<bank_id>[A-Za-z0-9_.-]{1,100})"
    return outside_jupyter_login(
        [
            (rf"{root}/me", StatusHandler, args),
            (rf"{root}/path/(?P<action>[a-z-]+(?:/[a-z]+)?)", PathHandler, args),
            (rf"{root}/cases/{case}", CaseHandler, args),
            (rf"{root}/cases/{case}/(?P<action>answer|advance|restart)", CaseActionHandler, args),
            (rf"{root}/banks/{bank}", BankHandler, args),
            (rf"{root}/banks/{bank}/(?P<action>answer|restart)", BankActionHandler, args),
            (rf"{root}/director/report", ReportHandler, args),
            (rf"{root}/director/certificates/(?P<certificate_id>[A-Za-z0-9-]{{1,40}})/revoke", RevokeHandler, args),
            (rf"{root}(?:/.*)?", NotFoundHandler, args),
        ]
    )
