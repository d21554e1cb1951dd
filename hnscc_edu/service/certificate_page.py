"""The public verification page of a certificate, on the course's own Jupyter or Voila server: no login.

``GET {base}hnscc/certificates/{certificate_id}`` answers a person with an HTML page and, with
``Accept: application/json``, a program with ``{"status": "valid" | "revoked", "certificate_id", "learner_name",
"credit_type", "amount", "completed_on", "activity_title", ...}`` (``rules.credit.public_status``); an unknown id is
a 404 with ``{"error": ...}`` (an HTML page for a browser). The address is printed on every certificate, with its QR
code. Like the live-poll routes these are plain tornado handlers, outside Jupyter's authentication: whoever holds a
certificate may look it up, and the page says nothing the certificate does not already say (a revocation's reason
stays with the course director).

Before it says "valid", the page checks the store's record against its digest and, when the server holds the
provider's key, its signature: an edited record is refused, not shown. Store calls run on a small thread pool.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import tornado.web
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from markupsafe import Markup

from .. import templating
from ..json_handler import outside_jupyter_login
from ..rules.credit import CERTIFICATE_ROUTE, CertificateRecord, public_status, record_bytes
from ..rules.signing import SigningKeyError, key_id, signature_valid
from ..store import Store, StoreError

log = logging.getLogger("hnscc_edu.certificates")
T = TypeVar("T")
ID_PATTERN = re.compile(r"HNSCC-[0-9A-F]{10}")


class CertificateService:
    """One per server process: the store (opened on first use) and the provider's public key, read on each use
    (a key made after the server started is found)."""

    def __init__(self, url: str | None = None, key_folder: Path | None = None, workers: int = 2) -> None:
        self.url, self.key_folder = url, key_folder
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hnscc-certificates")
        self._credit = None
        self._lock = threading.Lock()

    def _credit_store(self):
        from ..store.credit import CreditStore

        with self._lock:
            if self._credit is None:
                self._credit = CreditStore(Store(self.url))
            return self._credit

    def public_key(self) -> Ed25519PublicKey | None:
        from ..keys import key_dir, load_public

        try:
            return load_public(key_dir(self.key_folder))
        except SigningKeyError:
            return None

    def lookup(self, certificate_id: str) -> tuple[CertificateRecord | None, str | None]:
        """The stored record (None when unknown) and, when it does not hold, why (for the server's log)."""
        from ..sessions.credit_session import record_from_row

        row = self._credit_store().certificate(certificate_id)
        if row is None:
            return None, None
        record = record_from_row(row)
        return record, record_problem(record, self.public_key())

    async def call(self, work: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.executor, lambda: work(*args))


def record_problem(record: CertificateRecord, public_key: Ed25519PublicKey | None) -> str | None:
    """Why the store's record of a certificate cannot be vouched for (None when it holds): edited since it was
    issued, or not signed by the server's key although it names it. (A certificate signed with an earlier key of
    the provider, before ``keys init --force``, is checked against its digest only.)"""
    if not record.intact:
        return "its payload no longer matches its stored digest"
    if record.signature is None or public_key is None or record.payload.get("key_id") != key_id(public_key):
        return None
    if not signature_valid(public_key, record_bytes(record.payload), record.signature):
        return "its signature does not verify with the server's key"
    return None


# -- the page ---------------------------------------------------------------------------------------------------------
_STYLE = """
body { margin: 0; font: 1.0625rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111;
  background: #fff; }
main { max-width: 42rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: 0.5rem 0 1rem; }
.status { border: 3px solid; border-radius: 6px; padding: 0.75rem 1rem; font-size: 1.15rem; }
.valid { border-color: #14532d; background: #ecfdf3; color: #0b3d1f; }
.revoked, .unknown { border-color: #8b0000; background: #fff1f1; color: #4a0000; }
.draft { border-left: 6px solid #5a3e00; background: #fff4d6; color: #2b1d00; padding: 0.5rem 0.75rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.35rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; }
.help { color: #333; font-size: 0.95rem; }
code { font-size: 0.95em; }
"""
_STYLE_HASH = base64.b64encode(hashlib.sha256(_STYLE.encode("utf-8")).digest()).decode("ascii")
CSP = (
    f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def _page(template: str, title: str, **context: Any) -> str:
    # The stylesheet is the page's own constant (not text from anyone): inside <style> entities are not decoded, so it
    # must reach the page unescaped, and its hash is the one the Content-Security-Policy allows.
    return templating.render(template, title=title, style=Markup(_STYLE), **context)


def certificate_html(status: dict[str, Any]) -> str:
    """The page of a known certificate (``status`` as ``public_status`` gives it)."""
    return _page(
        "certificate/status.html.j2", f"Certificate {status['certificate_id']}: {status['status']}", status=status
    )


def not_found_html(message: str) -> str:
    return _page("certificate/message.html.j2", "Certificate not found", message=message)


def unavailable_html(message: str) -> str:
    """The page of a check that cannot be made just now (the store unreadable, a record that does not hold)."""
    return _page("certificate/message.html.j2", "Certificate check unavailable", message=message)


# -- handlers ---------------------------------------------------------------------------------------------------------
class CertificateHandler(tornado.web.RequestHandler):
    """Base of the certificate routes: no cookies, nothing cached (a revocation shows at once), JSON or HTML."""

    def initialize(self, service: CertificateService) -> None:
        self.service = service

    def check_xsrf_cookie(self) -> None:
        """No XSRF check: these routes only read, and read no cookie."""

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")

    def wants_json(self) -> bool:
        """True when the client asks for JSON before (or without) HTML."""
        accept = self.request.headers.get("Accept", "")
        json_at, html_at = accept.find("application/json"), accept.find("text/html")
        return json_at >= 0 and (html_at < 0 or json_at < html_at)

    def wants_html(self) -> bool:
        return "text/html" in self.request.headers.get("Accept", "") and not self.wants_json()

    def answer(self, status: int, body: dict[str, Any], page: str | None = None) -> None:
        """``body`` as JSON, or ``page`` for a browser; errors are JSON unless a browser asks for HTML."""
        self.set_status(status)
        self.set_header("Vary", "Accept")
        show_page = page is not None and (self.wants_html() if status >= 400 else not self.wants_json())
        if show_page:
            self.set_header("Content-Type", "text/html; charset=UTF-8")
            self.set_header("Content-Security-Policy", CSP)
            self.finish(page)
        else:
            self.set_header("Content-Type", "application/json; charset=UTF-8")
            self.finish(json.dumps(body, ensure_ascii=False))

    def fail(self, status: int, message: str) -> None:
        self.answer(
            status,
            {"error": message},
            not_found_html(message) if status == 404 else unavailable_html(message),
        )

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        message = {
            404: "There is nothing here. Check the address.",
            405: "This address does not accept that method.",
        }.get(status_code, self._reason)
        if status_code >= 500:
            message = "Sorry, the course server had a problem checking this certificate; please try again later."
        self.fail(status_code, message)


class CertificatePageHandler(CertificateHandler):
    """``GET {certificate_id}``: the certificate's status, for a person (HTML) or a program (JSON)."""

    async def get(self, certificate_id: str) -> None:
        wanted = certificate_id.strip().upper()
        unknown = (
            f"There is no certificate {wanted} in this course's records. Check the address (it is printed on "
            "the certificate, with its QR code)."
        )
        if not ID_PATTERN.fullmatch(wanted):
            self.fail(
                404, unknown if len(wanted) <= 40 else "There is no certificate with that id in this course's records."
            )
            return
        try:
            record, problem = await self.service.call(self.service.lookup, wanted)
        except StoreError as exc:
            log.warning("certificate page: store unavailable: %s", exc.__cause__ or exc)
            self.fail(503, "The course's records cannot be read just now; please try again in a moment.")
            return
        except Exception:
            log.exception("certificate page %s failed", wanted)
            self.fail(500, "Sorry, the course server had a problem checking this certificate; please try again later.")
            return
        if record is None:
            self.fail(404, unknown)
            return
        if problem is not None:
            log.error("certificate %s: the store's record cannot be vouched for: %s", wanted, problem)
            self.fail(
                500,
                f"The course's record of certificate {wanted} cannot be confirmed; please tell the course provider.",
            )
            return
        status = public_status(record)
        self.answer(200, status, certificate_html(status))


class CertificateNotFoundHandler(CertificateHandler):
    """Anything else under the prefix: a 404 (under Voila the notebook's catch-all route would answer)."""

    def prepare(self) -> None:
        raise tornado.web.HTTPError(404)


def certificate_handlers(base_url: str, service: CertificateService) -> list[tuple[str, type, dict]]:
    """The routes, under ``base_url`` (the server's, e.g. ``/`` or ``/user/ana/``)."""
    root = "/" + "/".join(p for p in (base_url.strip("/"), CERTIFICATE_ROUTE) if p)
    args = {"service": service}
    return outside_jupyter_login(
        [
            (rf"{root}/(?P<certificate_id>[^/]+)/?", CertificatePageHandler, args),
            (rf"{root}(?:/.*)?", CertificateNotFoundHandler, args),
        ]
    )
