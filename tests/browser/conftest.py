"""Browser fixtures: one Chromium for the session, one isolated context per person, screenshots.

The browser tests drive Debian's Chromium (/usr/bin/chromium) through Playwright's sync API
against pytest-django's live server. Playwright's own browser download cannot work offline,
so a missing Chromium is a failure with instructions, never a skip.
"""

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread

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

# Playwright's sync API marks its event loop as running in this thread for as long as it is
# started, and Django then takes every ORM call (seeding a test, flushing the database) for async
# code. Nothing runs concurrently here, so while a browser module runs Django is told so; the
# browser is started and stopped per module, which clears the mark for the tests after it.
_ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


class OneRequestAtATimeServer(WSGIServer):
    """The live server, answering one request at a time.

    On SQLite the test database lives in memory, and the live server's threads then share its
    one connection: two requests at once (a page and the htmx panel it loads, a form posted
    meanwhile) could interleave their queries on it and lose a session. Real deployments give
    each request its own connection; here requests queue instead (Django then closes each HTTP
    connection after its response, so the browser simply opens another)."""

    def __init__(self, *args, connections_override=None, **kwargs):
        # LiveServerThread.run() already installs the shared connections in its own thread,
        # which is where this server handles every request.
        super().__init__(*args, **kwargs)


LiveServerThread.server_class = OneRequestAtATimeServer


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"The browser tests need Debian's Chromium at {CHROMIUM}, which is missing: "
            "run `make browser` (it installs the 'chromium' package), then run the tests again.",
            pytrace=False,
        )
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    previous = os.environ.get(_ASYNC_UNSAFE)
    os.environ[_ASYNC_UNSAFE] = "true"
    playwright = sync_playwright().start()
    try:
        try:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        except Exception as error:
            pytest.fail(
                f"Could not start {CHROMIUM}: {error}\nrun `make browser` to (re)install it.",
                pytrace=False,
            )
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop(_ASYNC_UNSAFE, None)
        else:
            os.environ[_ASYNC_UNSAFE] = previous


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


def second_factor_if_asked(page, pseudonym: str) -> None:
    """Therapists, moderators and admins meet the two-factor page after the password: set up
    or confirm with the current code of their authenticator, as a person would with their app."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if "/accounts/two-factor/" not in page.url:
        return
    device = (
        TOTPDevice.objects.filter(user__pseudonym=pseudonym).order_by("-confirmed", "-id").first()
    )
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    page.get_by_label("Code").fill(f"{code:06d}")
    page.get_by_role(
        "button", name=re.compile("Turn on two-factor authentication|Continue")
    ).click()
    saved = page.get_by_role("link", name="I've saved them, continue")
    if saved.count():
        saved.click()


def log_in(page, pseudonym: str, password: str) -> None:
    """The login form, and the second factor where the role asks for one; ends on the home feed."""
    from playwright.sync_api import expect

    page.goto("/accounts/login/")
    page.locator("#id_username").fill(pseudonym)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    second_factor_if_asked(page, pseudonym)
    expect(page).to_have_url(re.compile(r"/home/$"))
