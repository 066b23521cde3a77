"""The proxy test drives the browser tests' Chromium (tests/browser/conftest.py)."""

from tests.browser.conftest import browser, shot  # noqa: F401 (fixtures used here too)
