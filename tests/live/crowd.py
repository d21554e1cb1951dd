"""Simulated participants on loopback, shared by the load test and ``benchmarks/live_polls.py``.

Each participant is a phone's browser: one HTTP/1.1 keep-alive connection, opened when the participant joins (a few
at a time, as people arrive) and then reused, so a vote burst is many requests in flight at once over connections
that already exist. (Opening hundreds of connections in the same millisecond would instead test the kernel's accept
queue: Voila and Jupyter listen with tornado's backlog of 128.)
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Outcome:
    participant: str
    choice: str
    status: int
    seconds: float
    received_at: str | None = None  # when the server says it received the vote (200 and 409 answers carry it)


class Phone:
    """One participant: a keep-alive connection and the id the session issues it when it joins (``participant`` is
    only a label until then), as the participant page keeps."""

    def __init__(self, base: str, code: str, participant: str) -> None:
        parts = urlsplit(base)
        self.host, self.port, self.prefix = parts.hostname, parts.port, parts.path.rstrip("/")
        self.code, self.participant = code, participant
        self.retry_after: str | None = None
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def join(self) -> dict:
        """Open the page: the session issues this phone its id (waiting its turn, as the page does, when the
        server says too many phones of this address are joining), then the page reads the current poll."""
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        while True:
            status, body = await self.request("POST", "join")
            if status != 429:
                break
            await asyncio.sleep(float(self.retry_after or 1))
        if status != 200:
            raise RuntimeError(f"joining failed with {status}: {body}")
        self.participant = body["participant"]
        status, body = await self.request("GET", f"current?participant={self.participant}")
        if status != 200:
            raise RuntimeError(f"joining failed with {status}: {body}")
        return body

    async def vote(self, poll: int, choice: str) -> Outcome:
        started = time.perf_counter()
        status, body = await self.request(
            "POST", f"polls/{poll}/votes", {"participant": self.participant, "choice": choice}
        )
        return Outcome(self.participant, choice, status, time.perf_counter() - started, body.get("received_at"))

    async def request(self, method: str, path: str, body: object | None = None) -> tuple[int, dict]:
        data = b"" if body is None else json.dumps(body).encode()
        head = (
            f"{method} {self.prefix}/hnscc/live/{self.code}/{path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
        )
        self.writer.write(head.encode() + data)
        await self.writer.drain()
        status = int((await self.reader.readline()).split()[1])
        length = 0
        self.retry_after = None
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
            elif name.strip().lower() == "retry-after":
                self.retry_after = value.strip()
        return status, json.loads(await self.reader.readexactly(length) or b"{}")

    async def listen(self, heard: Callable[[Phone, dict, float], None]) -> None:
        """Open the page's event stream (a second connection, as a browser's EventSource keeps) and call
        ``heard(phone, event, perf_counter_time)`` for each event, until the stream or the phone is closed."""
        reader, writer = await asyncio.open_connection(self.host, self.port)
        self.stream = writer
        writer.write(
            f"GET {self.prefix}/hnscc/live/{self.code}/events HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            "Accept: text/event-stream\r\n\r\n".encode()
        )
        await writer.drain()
        try:
            while (line := await reader.readline()) != b"":
                if line.startswith(b"data: "):
                    heard(self, json.loads(line[6:]), time.perf_counter())
        except (ConnectionError, asyncio.CancelledError):
            pass

    async def close(self) -> None:
        for writer in (self.writer, getattr(self, "stream", None)):
            if writer is not None:
                writer.close()
                try:
                    await writer.wait_closed()
                except ConnectionError:
                    pass


async def join_all(base: str, code: str, participants: Sequence[str], arriving: int = 25) -> list[Phone]:
    """Every participant opens the page (at most ``arriving`` connecting at the same moment)."""
    gate = asyncio.Semaphore(arriving)
    phones = [Phone(base, code, p) for p in participants]

    async def arrive(phone: Phone) -> None:
        async with gate:
            await phone.join()

    await asyncio.gather(*(arrive(phone) for phone in phones))
    return phones


async def vote_all(
    phones: Sequence[Phone], poll: int, choices: Sequence[str], on_answer: Callable[[int], None] | None = None
) -> list[Outcome]:
    """Every phone votes at once (all requests in flight together); ``on_answer(n)`` runs as the n-th answer
    arrives (the load test locks the poll while the rest are still in flight)."""
    answered = 0

    async def one(phone: Phone, choice: str) -> Outcome:
        nonlocal answered
        outcome = await phone.vote(poll, choice)
        answered += 1
        if on_answer is not None:
            on_answer(answered)
        return outcome

    return list(await asyncio.gather(*(one(p, c) for p, c in zip(phones, choices, strict=True))))


async def close_all(phones: Sequence[Phone]) -> None:
    await asyncio.gather(*(phone.close() for phone in phones))
