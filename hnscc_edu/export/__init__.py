"""Exports from the one item bank: QTI 2.1 and 1.2 packages, Moodle XML, GIFT, static HTML, and xAPI statements
from the store. The item bank stays the source of truth; no LMS format is read back into the course.

One module per format (``qti21``, ``qti12``, ``moodle``, ``gift``, ``static_html``, ``xapi`` with ``lrs`` to post),
``common`` for what they share (sources, warnings for what a format cannot express), and ``writer``, the one place
that writes files. Nothing here imports a widget library.
"""

FORMATS = ("qti21", "qti12", "moodle", "gift", "xapi", "html")
