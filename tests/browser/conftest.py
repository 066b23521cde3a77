"""Browser fixtures: one Chromium for the session, one isolated context per person, screenshots.

The browser tests drive Debian's Chromium (/usr/bin/chromium) through Playwright's sync API
against pytest-django's live server. Playwright's own browser download cannot work offline,
so a missing Chromium is a failure with instructions, never a skip.
"""

import asyncio
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_ROOT / "test-artifacts" / "screenshots"
# Every expect() and locator action waits at most this long (milliseconds).
TIMEOUT_MS = 10_000

# Playwright's sync API keeps its event loop marked as running in this thread between calls
# (its dispatcher greenlet resumes that loop on every call, and the mark makes mixing the sync
# API with asyncio fail loudly). Django takes that mark for async code and refuses every ORM call
# in a browser test, and the database flush after it. Nothing runs concurrently here, so browser
# tests allow it (DJANGO_ALLOW_ASYNC_UNSAFE). After each browser test the mark and the setting
# are removed, so that any other test (sync or asyncio) runs exactly as without a browser; the
# mark is put back before the next browser test, which resumes the same loop.
_ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
_playwright_loop: list[asyncio.AbstractEventLoop] = []  # the one loop of the session's Playwright
_saved_env: list[str | None] = []


def _mark_playwright_loop_running() -> None:
    if _playwright_loop and not _playwright_loop[0].is_closed():
        asyncio._set_running_loop(_playwright_loop[0])


def _unmark_playwright_loop() -> None:
    if _playwright_loop and asyncio._get_running_loop() is _playwright_loop[0]:
        asyncio._set_running_loop(None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    _saved_env.append(os.environ.get(_ASYNC_UNSAFE))
    os.environ[_ASYNC_UNSAFE] = "true"
    _mark_playwright_loop_running()
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        _unmark_playwright_loop()
        previous = _saved_env.pop() if _saved_env else None
        if previous is None:
            os.environ.pop(_ASYNC_UNSAFE, None)
        else:
            os.environ[_ASYNC_UNSAFE] = previous


@pytest.fixture(scope="session")
def browser():
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"The browser tests need Debian's Chromium at {CHROMIUM}, which is missing: "
            "run `make browser` (it installs the 'chromium' package), then run the tests again.",
            pytrace=False,
        )
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    playwright = sync_playwright().start()
    loop = asyncio._get_running_loop()
    if loop is not None:
        _playwright_loop[:] = [loop]
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Exception as error:
        playwright.stop()
        pytest.fail(
            f"Could not start {CHROMIUM}: {error}\nrun `make browser` to (re)install Chromium.",
            pytrace=False,
        )
    try:
        yield browser
    finally:
        # The session may end on a test without a browser, after the mark was removed.
        _mark_playwright_loop_running()
        try:
            browser.close()
        finally:
            playwright.stop()
            _unmark_playwright_loop()
            _playwright_loop.clear()


@pytest.fixture
def new_context(browser, live_server) -> Iterator[Callable]:
    """Factory: new_context() gives a fresh, isolated browser context (cookies and all) whose
    relative URLs resolve against the live server. One context per person in a test."""
    contexts = []

    def make(**options):
        options.setdefault("base_url", live_server.url)
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def shot(request) -> Callable:
    """shot(page, "after-signup") saves a full-page PNG as
    test-artifacts/screenshots/<test name>-after-signup.png and returns its path."""
    test_name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)

    def take(page, name: str) -> Path:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{test_name}-{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
