"""Time until a case is interactive in Voila, and the memory each viewer's kernel holds.

Starts Voila on loopback for the module-1 notebook, opens it N times in Debian's Chromium (one tab per viewer, as a
class would), and prints figures; asserts nothing. Run: .venv/bin/python benchmarks/voila_case_page.py [--viewers 4]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.voila_server import VoilaServer  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _kernel_pids(parent: int) -> list[int]:
    pids = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
            cmdline = (status.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(parent) and b"ipykernel" in cmdline:
            pids.append(int(status.parent.name))
    return pids


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--viewers", type=int, default=4)
    parser.add_argument("--notebook", default="01_reirradiation.ipynb")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        server = VoilaServer(args.notebook, Path(folder) / "bench.sqlite3", "bench", Path(folder) / "voila.log")
        print(f"voila listening after {time.perf_counter() - started:.2f} s")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                times = []
                for _ in range(args.viewers):
                    page = browser.new_page()
                    page.set_default_timeout(120_000)
                    t0 = time.perf_counter()
                    page.goto(server.url)
                    page.locator(".hnscc-case-player button.hnscc-continue").first.wait_for()  # several cases
                    times.append(time.perf_counter() - t0)
                kernels = _kernel_pids(server.process.pid)
                memory = [_rss_mib(pid) for pid in kernels]
                browser.close()
        finally:
            server.stop()
    print(f"viewers: {args.viewers}; time until the case is interactive: median {statistics.median(times):.2f} s, "
          f"first {times[0]:.2f} s, max {max(times):.2f} s")
    if memory:
        print(f"kernels alive: {len(memory)}; resident memory per kernel: median {statistics.median(memory):.0f} MiB, "
              f"total {sum(memory):.0f} MiB")


if __name__ == "__main__":
    main()
