"""The hub tests drive Debian's Chromium like the browser tests (a missing browser fails the run)."""

from tests.browser.conftest import browser  # noqa: F401 - the same session-wide Chromium
