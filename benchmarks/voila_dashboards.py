"""Voila figures for benchmarks/run.py: time to interactive, kernel memory and click-to-feedback latency.

Every course notebook is served from one Voila (a copy of ``notebooks/`` plus a bare notebook that imports pandas and
plotly and shows one button: the floor any dashboard pays), opened in Debian's Chromium, in rounds that visit the
bare notebook and every course notebook in turn, so that a noisy machine slows both sides of each ratio alike.

"Interactive" means what a viewer would call it: Voila's loading screen is gone and every widget output the notebook
produced is drawn (its view mounted in the page). The moment is taken by the page's own clock (``performance.now()``
from the start of navigation), so Playwright's round trips do not count.

At that moment the page also says what it drew: its widget views (every drawn ipywidgets view carries the CSS class
``jupyter-widgets``) and how many times plotly.js was fetched (the ``jupyterlab-plotly`` extension's bundle: the
figures are plotly mime bundles drawn by that extension, never a copy of plotly.js per figure).
"""

from __future__ import annotations

import json
import shutil
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat

from tests.voila_server import VoilaServer

ROOT = Path(__file__).resolve().parents[1]
BARE = "bare_floor.ipynb"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Counts every widget output Voila streams into the page (its <script> holders are removed once drawn; an output
# counts when its data holds a widget view, not when its text merely names the mime type, as the course pages' widget
# recovery script does), and marks the first moment when the loading screen is gone and as many widget views are
# mounted as were announced.
_WATCH_INTERACTIVE = """
(() => {
  window.__announced = 0;
  window.__interactive = null;
  window.__drawn = null;
  const kind = 'application/vnd.voila.cell-output+json';
  const mime = 'application/vnd.jupyter.widget-view+json';
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) {
      if (node.nodeType !== 1 || node.tagName !== 'SCRIPT' || node.type !== kind) continue;
      // a widget output is one whose data holds a widget view (a script output may merely mention the mime type)
      try {
        const output = JSON.parse(node.textContent);
        if (output && output.data && output.data[mime]) window.__announced += 1;
      } catch (error) { /* a holder not yet complete is read whole by the parser: nothing else to count */ }
    }
  }).observe(document, {childList: true, subtree: true});
  const check = () => {
    if (window.__interactive !== null) return;
    const mounted = [...document.querySelectorAll('.jp-OutputArea-output')]
      .filter((o) => o.querySelector(':scope > .jupyter-widgets, :scope > .lm-Widget')).length;
    if (document.readyState === 'complete' && !document.getElementById('loading')
        && mounted >= window.__announced) {
      window.__interactive = performance.now();
      window.__drawn = {
        widget_views: document.querySelectorAll('.jupyter-widgets').length,
        plotly_js_loads: performance.getEntriesByType('resource')
          .filter((e) => e.name.includes('jupyterlab-plotly/static/') && !/(remoteEntry|style)[.]/.test(e.name))
          .length,
      };
    } else {
      setTimeout(check, 10);
    }
  };
  setTimeout(check, 10);
})();
"""

_WAITING_FOR = """() => ({announced: window.__announced, loading: !!document.getElementById('loading'),
  readyState: document.readyState, mounted: [...document.querySelectorAll('.jp-OutputArea-output')]
    .filter((o) => o.querySelector(':scope > .jupyter-widgets, :scope > .lm-Widget')).length,
  others: [...document.querySelectorAll('.jp-OutputArea-output')]
    .filter((o) => !o.querySelector(':scope > .jupyter-widgets, :scope > .lm-Widget'))
    .map((o) => o.outerHTML.slice(0, 160))})"""

# Clicks Submit in the page and resolves with the milliseconds until that item's feedback is in the DOM.
_CLICK_TO_FEEDBACK = """
([submit, feedback]) => new Promise((resolve) => {
  const start = performance.now();
  const done = () => {
    if (!document.querySelector(feedback)) return false;
    observer.disconnect();
    resolve(performance.now() - start);
    return true;
  };
  const observer = new MutationObserver(done);
  observer.observe(document.body, {childList: true, subtree: true, characterData: true});
  document.querySelector(submit).click();
  done();
})
"""


def write_served_folder(folder: Path, notebooks: list[str]) -> None:
    """The course notebooks (copies, outputs as committed) and the bare floor notebook, in one served folder."""
    for name in notebooks:
        shutil.copy(ROOT / "notebooks" / name, folder / name)
    bare = nbformat.v4.new_notebook()
    bare.cells = [
        nbformat.v4.new_markdown_cell("# Floor: pandas, plotly and one widget"),
        nbformat.v4.new_code_cell(
            "import pandas\nimport plotly.graph_objects\nimport ipywidgets\n\nipywidgets.Button(description='Ready')"
        ),
    ]
    nbformat.write(bare, folder / BARE)


def configured_fill_delay() -> float:
    """voila.json's ``fill_delay``: the seconds Voila waits, once a page has taken a pre-heated kernel, before it starts
    the kernel that refills the pool (that kernel runs the notebook up to its wait point, on the same cores)."""
    return float(json.loads((ROOT / "voila.json").read_text())["VoilaKernelManager"]["fill_delay"])


@contextmanager
def serve(
    folder: Path, store: Path, log: Path, *, preheat: list[str] | None = None, fill_delay: float | None = None
) -> Iterator[VoilaServer]:
    """Voila over ``folder`` with the project's voila.json; ``preheat`` names notebooks given a pool of one kernel
    (all others start cold), or None to switch pre-heating off; ``fill_delay`` as voila.json sets it unless given."""
    if preheat is None:
        args = ["--VoilaConfiguration.preheat_kernel=False"]
    else:
        pools = {"default": {"pool_size": 0}} | {name: {"pool_size": 1} for name in preheat}
        delay = configured_fill_delay() if fill_delay is None else fill_delay
        args = [
            "--VoilaConfiguration.preheat_kernel=True",
            f"--VoilaKernelManager.kernel_pools_config={pools!r}",
            f"--VoilaKernelManager.fill_delay={delay:g}",
        ]
    server = VoilaServer("", store, "bench-learner", log, notebook_path=folder, extra_args=args)
    try:
        yield server
    finally:
        server.stop()


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def kernel_pids(parent: int) -> set[int]:
    """The ipykernel processes Voila (``parent``) has started."""
    pids = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            ppid = next(line.split()[1] for line in status.read_text().splitlines() if line.startswith("PPid:"))
            cmdline = (status.parent / "cmdline").read_bytes()
        except (OSError, StopIteration):
            continue
        if ppid == str(parent) and b"ipykernel" in cmdline:
            pids.add(int(status.parent.name))
    return pids


def wait_for_kernels(server: VoilaServer, count: int, timeout: float = 180) -> None:
    """Wait until ``count`` kernels are up (every pool filled again after the pages taken so far: the pooled notebooks
    plus the pages opened) and have settled."""
    deadline = time.monotonic() + timeout
    while len(kernel_pids(server.process.pid)) < count and time.monotonic() < deadline:
        time.sleep(0.5)
    time.sleep(3)  # a freshly started pool kernel is still executing its notebook; let it finish before timing


def open_interactive(browser, url: str, timeout_ms: int = 180_000):
    """Open ``url`` in a new page; returns (page, seconds from navigation start to interactive)."""
    page = browser.new_page()
    page.set_default_timeout(timeout_ms)
    page.add_init_script(_WATCH_INTERACTIVE)
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text[:300]}"))
    page.goto(url)
    try:
        page.wait_for_function("window.__interactive !== null", polling=50, timeout=timeout_ms)
    except Exception as exc:  # say what the page was waiting for, and what its console said
        state = page.evaluate(_WAITING_FOR)
        page.close()
        raise RuntimeError(f"{url} never became interactive: {state}; console: {console}") from exc
    return page, page.evaluate("window.__interactive") / 1000


def drawn(page) -> dict[str, int]:
    """What an interactive page drew: its widget views and the fetches of plotly.js (see the module docstring)."""
    return page.evaluate("window.__drawn")


class NeverInteractive(RuntimeError):
    """A page that did not become interactive within the time allowed (its message says what it waited for)."""


def time_to_interactive(
    browser, server: VoilaServer, notebook: str, timeout_ms: int = 90_000
) -> tuple[float, float, dict[str, int]]:
    """Seconds until ``notebook`` is interactive, the resident memory (MiB) of the kernel it started, and what the
    page drew by then (``drawn``). NeverInteractive when it was not interactive within ``timeout_ms``."""
    before = kernel_pids(server.process.pid)
    try:
        page, seconds = open_interactive(browser, f"{server.url}voila/render/{notebook}", timeout_ms)
    except RuntimeError as exc:
        raise NeverInteractive(f"{exc}; Voila's log ends: {Path(server.log_path).read_text()[-2000:]}") from exc
    on_arrival = drawn(page)
    time.sleep(1)  # widgets still being sent settle before memory is read
    new = kernel_pids(server.process.pid) - before
    memory = max((_rss_mib(pid) for pid in new), default=float("nan"))
    page.close()
    return seconds, memory, on_arrival


def click_to_feedback(
    browser, server: VoilaServer, notebook: str, bank_id: str, item_ids: list[str], clicks: int
) -> list[float]:
    """Milliseconds from pressing Submit to the feedback appearing, ``clicks`` times, in the self-check of the item
    bank ``bank_id``, opened first as a learner opens it (its "Open the self-check" button): its items are answered in
    turn (one option ticked), and "Start again" opens a new run when they are all answered, as a learner revising
    would."""
    page, _ = open_interactive(browser, f"{server.url}voila/render/{notebook}")
    player = f".hnscc-bank-{bank_id}"
    page.locator(f".hnscc-opener-{bank_id} button.hnscc-open").click()
    scope = page.locator(player)
    scope.wait_for()
    latencies: list[float] = []
    try:
        while len(latencies) < clicks:
            for item_id in item_ids:
                if len(latencies) == clicks:
                    break
                scope.locator(f".hnscc-input-{item_id} input").first.check()
                latencies.append(
                    page.evaluate(
                        _CLICK_TO_FEEDBACK,
                        [f"{player} .hnscc-submit-{item_id}", f"{player} .hnscc-feedback-{item_id} .hnscc-feedback"],
                    )
                )
            scope.locator("button.hnscc-bank-restart").click()
            scope.locator(f".hnscc-feedback-{item_ids[0]} .hnscc-feedback").wait_for(state="detached")
    finally:
        page.close()
    return latencies


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "n": len(ordered),
        "median": round(statistics.median(ordered), 3),
        "p95": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 3),
        "min": round(ordered[0], 3),
        "max": round(ordered[-1], 3),
    }
