"""A page script that draws again a widget ipywidgets gave up on while the page was loading.

Why: in Voila, each widget output is drawn as soon as the page's scripts start, usually before the widget manager
has fetched the widgets' state from the kernel. ipywidgets 8.1.9 then waits up to 2 s for the widget (polling every
100 ms); if the state arrives in the last moments of that wait, or while a busy browser runs the poll late, the
output shows "Error displaying widget: model not found" for good, although the widget has arrived (upstream:
jupyter-widgets/ipywidgets#4026). On a loaded 2-core machine this hit about one page visit in seven with three pages
opening at once (the calculators page: the CPS calculator and the sequencing explorer missing).

What the script does: while Voila draws the page's outputs it notes every widget output still waiting to be drawn
(Voila keeps them as ``application/vnd.voila.cell-output+json`` scripts until then; this script's own output is drawn
before them, as the first cell's). It looks every half second, from when the widget manager has fetched the state
until two minutes after, for an output left with that message whose widget the manager does hold, and draws the
widget's view in its place (again, should the same output be lost again). Anywhere else (JupyterLab, nbval, a page
without widgets) it finds nothing to note and does nothing.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping

FAILED_TEXT = "Error displaying widget: model not found"  # what ipywidgets writes in an output it gave up on
LOOK_FOR_MS = 120_000
EVERY_MS = 500

SCRIPT = """(function () {
  if (window.hnsccWidgetRecovery) { return; }
  var MIME = "application/vnd.jupyter.widget-view+json";
  var waiting = [];
  document.querySelectorAll('script[type="application/vnd.voila.cell-output+json"]').forEach(function (tag) {
    try {
      var output = JSON.parse(tag.textContent);
      if (output && output.data && output.data[MIME] && output.data[MIME].model_id) {
        waiting.push({ host: tag.parentElement, id: output.data[MIME].model_id });
      }
    } catch (error) { /* not an output this script can read */ }
  });
  var recovery = window.hnsccWidgetRecovery = { noted: waiting.length, redrawn: [] };
  if (!waiting.length) { return; }
  var restoredAt = null;
  function attach(view, node) {
    var widget = view.luminoWidget || view.pWidget;
    var kind = widget.constructor;  // Lumino's Widget.attach, inherited by every widget class
    while (kind && typeof kind.attach !== "function") { kind = Object.getPrototypeOf(kind); }
    node.textContent = "";
    node.classList.remove("jupyter-widgets");
    kind.attach(widget, node);
  }
  function redraw(manager, entry, node) {
    entry.busy = true;
    manager.get_model(entry.id)
      .then(function (model) { return manager.create_view(model); })
      .then(function (view) {
        attach(view, node);
        recovery.redrawn.push(entry.id);
        console.info("hnscc-edu: drew again a widget ipywidgets gave up on while loading (ipywidgets#4026)");
      })
      .catch(function (error) { console.error("hnscc-edu: could not draw the widget again", error); })
      .then(function () { entry.busy = false; });
  }
  function look() {
    var app = window.jupyterapp;
    var manager = app && app.widgetManager;
    if (manager && manager.restoredStatus) {
      restoredAt = restoredAt || Date.now();
      waiting.forEach(function (entry) {
        if (entry.busy || !entry.host || !manager.has_model(entry.id)) { return; }
        var failed = Array.prototype.find.call(entry.host.children, function (child) {
          return child.classList.contains("jupyter-widgets") && child.textContent === FAILED_TEXT;
        });
        if (failed) { redraw(manager, entry, failed); }
      });
    }
    if (restoredAt === null || Date.now() - restoredAt < LOOK_FOR_MS) { setTimeout(look, EVERY_MS); }
  }
  setTimeout(look, EVERY_MS);
})();"""


def recovery_script() -> str:
    return (
        SCRIPT.replace("FAILED_TEXT", json.dumps(FAILED_TEXT))
        .replace("LOOK_FOR_MS", str(LOOK_FOR_MS))
        .replace("EVERY_MS", str(EVERY_MS))
    )


def recovery_output() -> Mapping[str, str]:
    """The script as a display bundle (``display(..., raw=True)``)."""
    return {"application/javascript": recovery_script()}


def show_recovery_script() -> None:
    """Put the script in the current cell's output, in a kernel only (an import in a plain Python process shows
    nothing)."""
    if "IPython" not in sys.modules:  # not a kernel: nothing to show, and IPython not worth importing
        return
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None or not hasattr(shell, "kernel"):
        return
    from IPython.display import display

    display(recovery_output(), raw=True)
