"""Issue 21, "The server stays up" behind the README's reverse proxy: ``deploy/nginx/nginx.conf`` itself, run by
Debian's nginx in front of a real Voila, over TLS (a certificate made for the test). Only the lines the file marks
"SET" (addresses, names, certificate paths) and its run-file paths are replaced.

- the configuration is valid (``nginx -t``), and phones join, vote and hear pushed events through it, the events
  at once (not held in nginx's buffers); the join address says https (the proxy is trusted for the scheme);
- the review's held-connection attack (1,100 connections sending half their headers) against nginx: the course is
  served while they are held, and nginx closes them after its header timeout;
- a body over the limit is refused by nginx (413) and never reaches Voila;
- the presenter's dashboard loads through it in Chromium (the kernel's websocket is upgraded through the proxy).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import shutil
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from hnscc_edu.rules.live import Choice
from hnscc_edu.store import Store
from hnscc_edu.store.live import LiveStore
from tests.voila_server import ROOT, VoilaServer, free_port

CONFIG = ROOT / "deploy" / "nginx" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HELD = 1_100  # the security review's count: it took the server offline without a proxy


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (the test's own CA: clients trust exactly this file)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert, private = folder / "course.pem", folder / "course.key"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert, private


def _configure(folder: Path, upstream: int, http: int, https: int, cert: Path, key: Path) -> Path:
    """The shipped file with its SET lines and run files pointed at this test; each must be found as written."""
    text = CONFIG.read_text()
    for old, new in {
        "server 127.0.0.1:8866;": f"server 127.0.0.1:{upstream};",
        "listen 80;": f"listen 127.0.0.1:{http};",
        "listen 443 ssl;": f"listen 127.0.0.1:{https} ssl;",
        "/etc/ssl/certs/course.example.org.pem": str(cert),
        "/etc/ssl/private/course.example.org.key": str(key),
        "pid /run/nginx.pid;": f"pid {folder / 'nginx.pid'};",
        "error_log /var/log/nginx/error.log warn;": f"error_log {folder / 'error.log'} warn;",
    }.items():
        assert old in text, f"deploy/nginx/nginx.conf no longer has {old!r}: update the README and this test"
        text = text.replace(old, new)
    for temp in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):  # nginx's own scratch folders, here
        (folder / temp).mkdir()
        text = text.replace("http {\n", f"http {{\n    {temp}_temp_path {folder / temp};\n", 1)
    config = folder / "nginx.conf"
    config.write_text(text)
    return config


@pytest.fixture
def proxied(tmp_path):
    if not Path(NGINX).exists():
        pytest.fail("These tests need Debian's nginx (make system-packages installs it).")
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    live = LiveStore(Store(url))
    cert, key = _certificate(tmp_path)
    http, https = free_port(), free_port()
    # behind a proxy, as the README says: the address phones use (the presenter's kernel cannot see the proxy), and
    # the proxy trusted for the phones' own addresses and scheme
    voila = VoilaServer(
        "live_presenter.ipynb",
        tmp_path / "unused.sqlite3",
        "presenter",
        tmp_path / "voila.log",
        db_url=url,
        extra_env={
            "HNSCC_EDU_TRUSTED_PROXIES": "127.0.0.1",
            "HNSCC_EDU_LIVE_PUBLIC_URL": f"https://127.0.0.1:{https}/",
        },
    )
    config = _configure(tmp_path, voila.port, http, https, cert, key)
    check = subprocess.run(
        [NGINX, "-t", "-c", str(config), "-p", str(tmp_path)], check=False, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
    # as root (CI), nginx's workers would switch to "nobody", who cannot read this test's folder
    workers = " user root;" if os.geteuid() == 0 else ""
    nginx = subprocess.Popen(
        [NGINX, "-c", str(config), "-p", str(tmp_path), "-g", f"daemon off;{workers}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    context = ssl.create_default_context(cafile=str(cert))
    base = f"https://127.0.0.1:{https}"
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", https), timeout=1).close()
            break
        except OSError:
            assert nginx.poll() is None and time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.1)
    try:
        yield live, base, context, tmp_path, voila, https, http
    finally:
        nginx.terminate()
        nginx.wait(10)
        voila.stop()


def _call(method: str, url: str, context: ssl.SSLContext, body: bytes | None = None, token: str | None = None):
    request = urllib.request.Request(url, data=body, method=method)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30, context=context) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


def test_phones_vote_and_hear_events_through_nginx_over_tls(proxied):
    live, base, context, _folder, _voila, https, http = proxied
    session, token = live.create_session("Through the proxy")
    code = session.code
    status, body, _ = _call("POST", f"{base}/hnscc/live/{code}/join", context)
    assert status == 200
    participant = json.loads(body)["participant"]

    # the event stream: the first event at once, then the poll the presenter opens, while the stream stays open
    stream = socket.create_connection(("127.0.0.1", https), timeout=15)
    stream = context.wrap_socket(stream, server_hostname="127.0.0.1")
    stream.sendall(f"GET /hnscc/live/{code}/events HTTP/1.1\r\nHost: 127.0.0.1:{https}\r\n\r\n".encode())
    reader = stream.makefile("rb")

    def next_event() -> dict:
        while True:
            line = reader.readline()  # a 15 s timeout: an event held in nginx's buffer fails the test here
            assert line, "the stream closed"
            if line.startswith(b"data: "):
                return json.loads(line[6:])

    assert next_event()["poll"] is None
    poll = live.open_poll(code, token, "Which?", (Choice("a", "A"), Choice("b", "B")))
    assert next_event()["poll"]["id"] == poll.id
    stream.close()

    vote = json.dumps({"participant": participant, "choice": "a"}).encode()
    status, body, _ = _call("POST", f"{base}/hnscc/live/{code}/polls/{poll.id}/votes", context, vote)
    assert status == 200, body
    assert live.results(code, token, poll.id).total == 1

    # the QR code's join address: the scheme and port the phones used, through the trusted proxy
    status, svg, _ = _call("GET", f"{base}/hnscc/live/{code}/qr.svg", context)
    title = svg.split(b"<title>", 1)[1].split(b"</title>", 1)[0].decode()
    assert status == 200 and title.endswith(f"https://127.0.0.1:{https}/hnscc/live/{code}"), title

    # a body over the limit never reaches Voila
    status, _, _ = _call("POST", f"{base}/hnscc/live/{code}/polls/{poll.id}/votes", context, b"x" * (2 * 1024 * 1024))
    assert status == 413
    assert live.results(code, token, poll.id).total == 1

    # plain HTTP is sent to HTTPS (the redirect itself is read, not followed)
    class Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        urllib.request.build_opener(Stay).open(f"http://127.0.0.1:{http}/hnscc/live/{code}", timeout=10)
        raise AssertionError("plain HTTP was served")
    except urllib.error.HTTPError as error:
        assert error.code == 301 and error.headers["Location"].startswith("https://127.0.0.1")


def test_the_held_connection_attack_is_absorbed_by_nginx(proxied):
    live, base, context, folder, _voila, https, _http = proxied
    session, _token = live.create_session("Held")
    held: list[socket.socket] = []
    try:
        for _ in range(HELD):  # each starts a TLS request and sends half its headers, then waits
            sock = context.wrap_socket(
                socket.create_connection(("127.0.0.1", https), timeout=10), server_hostname="127.0.0.1"
            )
            sock.sendall(f"GET /hnscc/live/{session.code} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode())
            held.append(sock)
        status, page, _ = _call("GET", f"{base}/hnscc/live/{session.code}", context)
        assert status == 200 and b"<html" in page.lower()  # served while they are held
        time.sleep(12)  # nginx's client_header_timeout (10 s) passes
        closed = 0
        for sock in held:
            sock.settimeout(0.2)
            try:
                closed += sock.recv(1024) == b""
            except (ConnectionResetError, ssl.SSLError):
                closed += 1
            except TimeoutError:
                pass
        assert closed == len(held)
        status, _, _ = _call("POST", f"{base}/hnscc/live/{session.code}/join", context)
        assert status == 200
    finally:
        for sock in held:
            sock.close()
    log = (folder / "error.log").read_text()
    assert "Too many open files" not in log and "worker_connections are not enough" not in log


@pytest.mark.browser
def test_the_presenters_dashboard_works_through_nginx(proxied, browser):
    _live, base, _context, _folder, _voila, _https, _http = proxied
    context = browser.new_context(viewport={"width": 1280, "height": 900}, ignore_https_errors=True)
    try:
        page = context.new_page()
        page.set_default_timeout(240_000)
        page.goto(f"{base}/")
        page.locator("button.hnscc-live-start").wait_for()  # drawn by the kernel, over the proxied websocket
        page.locator("button.hnscc-live-start").click()
        join = page.locator(".hnscc-live-session a").get_attribute("href")
        assert join.startswith(f"{base}/hnscc/live/")
        assert "Traceback" not in page.content()
    finally:
        context.close()
