"""Live polls under load: sustained votes per second, vote latency, time from a vote to the presenter's view, and the
server's memory with 500 participants. Prints JSON; asserts nothing.

Starts Voila on loopback (the presenter notebook; the live-poll routes come with it), joins N simulated participants
(one keep-alive connection each, as a phone's browser keeps), then every participant votes at once, several rounds.
With Chromium (the default), it also opens the presenter's dashboard and times a vote until the dashboard's count
shows it, and the Reveal button until the histogram is drawn.

Run: .venv/bin/python benchmarks/live_polls.py [--participants 500] [--rounds 5] [--db-url URL] [--no-browser]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hnscc_edu.rules.live import Choice
from hnscc_edu.store import Store
from hnscc_edu.store.live import LiveStore
from hnscc_edu.ui.presenter import REFRESH_MS
from tests.live.client import call, join
from tests.live.crowd import close_all, join_all, vote_all
from tests.voila_server import VoilaServer

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
CHOICES = ("a", "b", "c", "d")


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _children(parent: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            ppid = next(line.split()[1] for line in status.read_text().splitlines() if line.startswith("PPid:"))
        except (OSError, StopIteration):
            continue
        if ppid == str(parent):
            found.append(int(status.parent.name))
    return found


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _load(base: str, code: str, poll: int, token: str, participants: int, rounds: int, server_pid: int) -> dict:
    phones = await join_all(base, code, [f"bench-{n:05d}" for n in range(participants)])
    try:
        rss_joined = _rss_mib(server_pid)
        latencies: list[float] = []
        started = time.perf_counter()
        for r in range(rounds):
            outcomes = await vote_all(phones, poll, [CHOICES[(n + r) % 4] for n in range(participants)])
            if {o.status for o in outcomes} != {200}:
                raise RuntimeError(f"round {r}: not every vote was accepted")
            latencies += [o.seconds for o in outcomes]
        elapsed = time.perf_counter() - started
        rss_voted = _rss_mib(server_pid)
        # what the participants' pages cost while they wait: each asks for the current poll every 2.5 s
        started = time.perf_counter()
        for _ in range(3):
            answers = await asyncio.gather(*(p.request("GET", f"current?participant={p.participant}") for p in phones))
            if {status for status, _ in answers} != {200}:
                raise RuntimeError("a page refresh failed")
        refreshes = 3 * participants / (time.perf_counter() - started)
        # a vote, then the presenter's results: how soon the count the dashboard reads includes it
        results_url = f"{base}/hnscc/live/{code}/polls/{poll}/results"
        probe = phones[0]
        to_results = []
        for k in range(30):
            t0 = time.perf_counter()
            await probe.vote(poll, CHOICES[k % 4])
            status, body, _ = await asyncio.to_thread(call, "GET", results_url, None, token)
            to_results.append(time.perf_counter() - t0)
            if status != 200 or body["total"] != participants:
                raise RuntimeError("the results did not show the vote")
    finally:
        await close_all(phones)
    return {
        "participants": participants,
        "rounds": rounds,
        "votes": participants * rounds,
        "votes_per_second": round(participants * rounds / elapsed, 1),
        "vote_latency_ms": {
            "p50": round(_percentile(latencies, 0.5) * 1000, 1),
            "p95": round(_percentile(latencies, 0.95) * 1000, 1),
            "max": round(max(latencies) * 1000, 1),
        },
        "page_refreshes_per_second": round(refreshes, 1),
        "vote_to_results_api_ms": {
            "median": round(statistics.median(to_results) * 1000, 1),
            "max": round(max(to_results) * 1000, 1),
        },
        "server_rss_mib": {"joined": round(rss_joined, 1), "after_votes": round(rss_voted, 1)},
    }


def _dashboard(server: VoilaServer, live: LiveStore, samples: int = 5) -> dict:
    """The presenter's page in Chromium: vote -> the live count shows it; Reveal -> the histogram is drawn."""
    from playwright.sync_api import sync_playwright

    base = server.url.rstrip("/")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(120_000)
        t0 = time.perf_counter()
        page.goto(server.url)
        page.locator("button.hnscc-live-start").wait_for()
        page_ready = time.perf_counter() - t0
        # a case whose first stage has a single-best-answer question, as a presenter picks one
        from hnscc_edu.content.course import load_course

        page.locator(".hnscc-live-case select").select_option(label=load_course(ROOT).case("reirr-candidacy-01").title)
        page.locator("button.hnscc-live-start").click()
        code = page.locator(".hnscc-live-code").inner_text().strip()
        page.locator("button.hnscc-live-open-pre").click()
        page.locator(".hnscc-live-count", has_text="is open").wait_for()
        poll = live.current(code)[1].id
        votes_url = f"{base}/hnscc/live/{code}/polls/{poll}/votes"
        to_count = []
        for n in range(1, samples + 1):
            t0 = time.perf_counter()
            voter = join(f"{base}/hnscc/live", code)
            status = call("POST", votes_url, {"participant": voter, "choice": CHOICES[n % 4]})[0]
            if status != 200:
                raise RuntimeError(f"a vote was refused ({status})")
            page.locator(".hnscc-live-count", has_text=f" {n} response").wait_for()
            to_count.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        page.locator("button.hnscc-live-reveal").click()
        page.locator(".hnscc-live-figure .js-plotly-plot").wait_for()
        reveal = time.perf_counter() - t0
        kernels = _children(server.process.pid)
        kernel_rss = sum(_rss_mib(pid) for pid in kernels)
        browser.close()
    return {
        "dashboard_ready_s": round(page_ready, 2),
        "vote_to_dashboard_count_s": {
            "median": round(statistics.median(to_count), 2),
            "max": round(max(to_count), 2),
            "note": f"includes the dashboard's {REFRESH_MS / 1000:g} s refresh timer",
        },
        "reveal_to_histogram_s": round(reveal, 2),
        "kernels": len(kernels),
        "presenter_kernel_rss_mib": round(kernel_rss, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--db-url", default=None, help="default: a new SQLite file in a temporary folder")
    parser.add_argument("--no-browser", action="store_true", help="skip the presenter's page in Chromium")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.db_url or f"sqlite:///{folder}/bench.sqlite3"
        live = LiveStore(Store(url))
        session, token = live.create_session("Benchmark")
        poll = live.open_poll(session.code, token, "Which?", tuple(Choice(c, c.upper()) for c in CHOICES)).id
        # every simulated phone shares this machine's address: the join limit (sized for one room) is raised
        server = VoilaServer(
            "live_presenter.ipynb",
            Path(folder) / "unused.sqlite3",
            "bench",
            Path(folder) / "voila.log",
            db_url=url,
            extra_env={"HNSCC_EDU_LIVE_JOIN_BURST": str(10 * args.participants)},
        )
        try:
            idle = _rss_mib(server.process.pid)
            figures = asyncio.run(
                _load(
                    server.url.rstrip("/"),
                    session.code,
                    poll,
                    token,
                    args.participants,
                    args.rounds,
                    server.process.pid,
                )
            )
            figures["server_rss_mib"] = {"idle": round(idle, 1), **figures["server_rss_mib"]}
            figures["kernels_for_participants"] = len(_children(server.process.pid))
            if not args.no_browser:
                figures["presenter"] = _dashboard(server, live)
        finally:
            server.stop()
    figures["store"] = url.split(":", 1)[0].split("+", 1)[0]
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
