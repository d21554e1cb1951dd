"""Issue 21, "The server stays up": the course server a hub runs (``python -m hnscc_edu.service``, the process phones
reach) closes connections that idle or trickle their headers, instead of holding them for tornado's default hour, so
one laptop cannot fill the server's file limit; a body over 1 MiB is never buffered. The idle time is shortened to
2 s here (``HNSCC_EDU_IDLE_SECONDS``); the default is 60 s."""

from __future__ import annotations

import socket
import time

from tests.service_harness import ServiceProcess


def test_held_connections_are_closed_and_the_server_keeps_serving(tmp_path):
    service = ServiceProcess(
        f"sqlite:///{tmp_path / 'held.sqlite3'}",
        "ana",
        tmp_path / "service.log",
        extra_env={"HNSCC_EDU_IDLE_SECONDS": "2"},
    )
    held: list[socket.socket] = []
    try:
        for n in range(200):  # each sends part of its headers, then waits (the review's held-connection attack)
            sock = socket.create_connection(("127.0.0.1", service.port), timeout=10)
            sock.sendall(b"GET /hnscc/certificates/X HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            held.append(sock)
        assert service.client().status()["learner_id"] == "ana"  # served while they are held
        time.sleep(4)
        closed = 0
        for sock in held:
            sock.settimeout(0.2)  # an open connection times out here and is not counted
            try:
                closed += sock.recv(1024) == b""
            except ConnectionResetError:
                closed += 1
            except TimeoutError:
                pass
        assert closed == len(held)
        assert service.client().status()["learner_id"] == "ana"
    finally:
        for sock in held:
            sock.close()
        service.stop()
