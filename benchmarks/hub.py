"""A class on JupyterHub, measured (issue 17): how long the hub takes to start, how long a burst of learners takes
from signing in to a ready server, how long one learner waits from the sign-in form to an interactive start page in
Chromium, and the memory each learner costs (their server and its dashboard kernel). Prints JSON, with the sizing
these figures give for 30, 300 and 3,000 learners; asserts nothing.

Runs deploy/jupyterhub_config.py as tests/hub does (tests/hub_harness.py): configurable-http-proxy, the course server
as the hub service, the local process spawner, a SQLite store (or --postgres for a throw-away PostgreSQL server).

Run: .venv/bin/python benchmarks/hub.py [--learners 10] [--postgres]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hub_harness import HubProcess, learner_processes

CHROMIUM = os.environ.get("HNSCC_EDU_CHROMIUM", "/usr/bin/chromium")


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def available_mib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    return 0.0


def processes_matching(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text in (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def sign_in_and_start(hub: HubProcess, name: str) -> float:
    started = time.monotonic()
    hub.start_server(hub.sign_in(name))
    return time.monotonic() - started


def browser_wait(hub: HubProcess, names: list[str]) -> list[float]:
    """Seconds from opening the sign-in form to a live start page (the Acknowledge button drawn by its kernel)."""
    from playwright.sync_api import sync_playwright

    waits = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
        for name in names:
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            page.set_default_timeout(300_000)
            started = time.monotonic()
            page.goto(f"{hub.url}hub/login")
            page.locator("input[name=username]").fill(name)
            page.locator("input[name=password]").fill(hub.password)
            page.locator("input[type=submit], button[type=submit]").first.click()
            page.get_by_role("button", name="Acknowledge and continue").wait_for()
            waits.append(time.monotonic() - started)
        browser.close()
    return waits


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=10, help="learners who sign in at the same moment")
    parser.add_argument("--postgres", action="store_true", help="a throw-away PostgreSQL store instead of SQLite")
    args = parser.parse_args()
    before = available_mib()
    with tempfile.TemporaryDirectory(prefix="hub-bench-") as folder:
        work = Path(folder)
        from hnscc_edu import keys

        keys.init(work / "keys")
        postgres = None
        if args.postgres:
            from tests.postgres_server import PostgresServer

            postgres = PostgresServer()
        store = postgres.url if postgres else f"sqlite:///{work / 'course.sqlite3'}"
        started = time.monotonic()
        hub = HubProcess(work, store, work / "keys")
        hub_start = time.monotonic() - started
        try:
            names = [f"bench{n:03d}" for n in range(args.learners)]
            started = time.monotonic()
            with concurrent.futures.ThreadPoolExecutor(len(names)) as pool:
                each = list(pool.map(lambda name: sign_in_and_start(hub, name), names))
            burst = time.monotonic() - started
            idle_server = statistics.mean(sum(rss_mib(pid) for pid in learner_processes(n)) for n in names)
            cold, *warm = browser_wait(hub, names[: min(3, len(names))])
            per_learner = statistics.mean(
                sum(rss_mib(pid) for pid in learner_processes(n)) for n in names[: min(3, len(names))]
            )
            fixed = {
                part: round(sum(rss_mib(pid) for pid in processes_matching(pattern)), 1)
                for part, pattern in {
                    "hub": "jupyterhub_config.py",  # its -f argument (scripts/hub.py HUB_COMMAND)
                    "proxy": "configurable-http-proxy",
                    "course_server": "hnscc_edu.hub_service",
                    "idle_culler": "jupyterhub_idle_culler",
                }.items()
            }
        finally:
            hub.stop()
            if postgres:
                postgres.stop()
    fixed_total = sum(fixed.values())
    figures = {
        "machine": {"cores": os.cpu_count(), "available_mib_at_start": round(before)},
        "store": "postgresql" if args.postgres else "sqlite",
        "hub_start_s": round(hub_start, 2),
        "burst": {
            "learners": args.learners,
            "all_ready_s": round(burst, 1),
            "per_learner_s": {"median": round(statistics.median(each), 1), "max": round(max(each), 1)},
        },
        "sign_in_to_interactive_start_page_s": {"first": round(cold, 1), "next": [round(w, 1) for w in warm]},
        "memory_mib": {
            "per_learner_idle_server": round(idle_server),
            "per_learner_with_start_page": round(per_learner),
            "hub_proxy_service_culler": fixed,
        },
        "sizing_if_every_learner_has_one_page_open_mib": {
            str(n): round(fixed_total + n * per_learner) for n in (30, 300, 3000)
        },
        "learners_this_machine_holds_with_one_page_each": int((before - fixed_total) // per_learner),
    }
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
