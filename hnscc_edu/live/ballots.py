"""The ballot box of one server process: votes wait here to be written in batches (group commit).

A room that votes at once sends hundreds of votes in the same second. Written one transaction each, they queue for
the store's write lock and a vote waits for every vote before it. Here one writer at a time takes everything that is
waiting and writes it in one transaction (``LiveStore.record_ballots``): while it writes, the next batch gathers, so
the batch grows with the load and no vote waits on a timer. Each vote's request gets its own answer back (counted,
or why not), so a phone is never told "recorded" for a vote that was not.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from ..rules.live import Ballot, LiveError

log = logging.getLogger("hnscc_edu.live")

Writer = Callable[[Sequence[Ballot]], Awaitable[list[LiveError | None]]]
MOST_PER_BATCH = 2000  # one transaction's worth: a few tens of milliseconds of writing even on PostgreSQL


class BallotBox:
    """``cast`` waits until its ballot is written (or refused); ``settle`` until everything cast before it is."""

    def __init__(self, write: Writer, most: int = MOST_PER_BATCH) -> None:
        self._write = write
        self._most = most
        self._waiting: list[tuple[Ballot | None, asyncio.Future]] = []  # None: a settle() marker
        self._writer: asyncio.Task | None = None

    async def cast(self, ballot: Ballot) -> None:
        """Write ``ballot`` with the next batch; raises the LiveError that refuses it, or the store's error."""
        refusal = await self._enqueue(ballot)
        if refusal is not None:
            raise refusal

    async def settle(self) -> None:
        """Return once every ballot cast before this call is written (a lock then reads final counts)."""
        await self._enqueue(None)

    def _enqueue(self, ballot: Ballot | None) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self._waiting.append((ballot, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._write_all())
        return future

    async def _write_all(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[: self._most], self._waiting[self._most :]
            ballots = [ballot for ballot, _ in batch if ballot is not None]
            try:
                refusals = await self._write(ballots) if ballots else []
            except Exception as exc:  # noqa: BLE001 - whatever stops a batch, every phone in it hears it (503 for a store down)
                if not isinstance(exc, LiveError):
                    log.warning("a batch of %d live-poll votes could not be written: %s", len(ballots), exc)
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            answers = iter(refusals)
            for ballot, future in batch:
                answer = None if ballot is None else next(answers)
                if not future.done():  # a phone that hung up: its vote is written all the same
                    future.set_result(answer)
