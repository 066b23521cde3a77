"""Haven as a host runs it: Debian's nginx with deploy/nginx/haven.conf (the shipped file; only
addresses, ports, server_name and paths are changed) in front of two uvicorn processes and the
worker, started with the commands of deploy/systemd/, on PostgreSQL and Redis, with the
settings of deploy/haven.env.example. All on loopback, with a self-signed certificate.

Through the proxy a browser signs a new member up, who posts a thread that the worker then
makes findable by meaning; a seeker and a listener, each on a different process, chat live.
Also checked through the proxy: the redirect to HTTPS (but not for certbot's challenge),
/healthz and /readyz, static files served by nginx itself, /metrics kept inside, the body size
limits, HSTS sent once, the request id reaching Haven; and `haven check --deploy` finds the
configuration clean.

PostgreSQL (the server of DATABASE_URL, else postgres@127.0.0.1:5432) and Redis (REDIS_URL,
else 127.0.0.1:6379) are needed in both passes of the suite: a missing one, or a missing nginx,
skips the test on a developer's machine and fails it in CI (CI=true).
"""

import http.client
import json
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
import redis
from cryptography.fernet import Fernet
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.support.deployment import (
    ENV_EXAMPLE,
    NGINX,
    ROOT,
    env_file_values,
    exec_start,
    local_command,
    running_nginx,
)
from tests.support.devservers import free_port, haven, wait_for_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]

POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
# A Redis database of the processes' own, on the suite's server: the suite empties REDIS_URL's
# database around every test (tests/conftest.py), which these processes outlive.
REDIS_URL = urlunsplit(
    urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379")._replace(path="/4")
)
PASSWORD = "quiet-harbour-lanterns-at-dusk-4"
THREAD_TITLE = "Waking at 3am with a racing heart"
THREAD_BODY = "Most nights my chest tightens around three and I can't get back to sleep."
# A chat socket accepted, in a process's log: Haven's access line (HAVEN_ACCESS_LOG, on in
# production) or uvicorn's own, in the text or the JSON format.
CHAT_SOCKET_ACCEPTED = re.compile(r"WebSocket /ws/chat/\S* \[?accepted\b")
# deploy/nginx/haven.conf's log_format haven.
ACCESS_LINE = re.compile(
    r'^(?P<client>\S+) \[(?P<time>\S+)\] "(?P<method>\S+) (?P<uri>\S+) (?P<protocol>\S+)" '
    r"(?P<status>\d{3}) (?P<bytes>\d+) (?P<seconds>\S+) (?P<upstream>.+) (?P<request_id>\S+)$"
)


def needed(present: bool, what: str, remedy: str) -> None:
    if present:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(
            f"The proxy test needs {what}: {remedy}, then run the tests again.", pytrace=False
        )
    pytest.skip(f"needs {what} ({remedy})")


# --- The machine's parts: nginx, PostgreSQL, Redis, a certificate.


def postgres_server() -> str:
    """A URL of the PostgreSQL server: the suite's (DATABASE_URL) when it runs there, else the
    local one, which the SQLite pass uses too."""
    needed(bool(shutil.which("psql")), "psql", "install Debian's postgresql-client")
    suite = os.environ.get("DATABASE_URL", "")
    server = suite.rsplit("/", 1)[0] + "/postgres" if suite.startswith("postgres") else POSTGRES
    answered = subprocess.run(
        ["psql", server, "-qtAc", "SELECT 1"], capture_output=True, text=True, timeout=30,
        env={**os.environ, "PGCONNECT_TIMEOUT": "5"},
    ).returncode == 0  # fmt: skip
    needed(answered, f"PostgreSQL at {server}", "start PostgreSQL (CI's .ci/run starts it)")
    return server


def redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=5).ping())
    except redis.RedisError:
        return False


def forget_cache(prefix: str) -> None:
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@contextmanager
def own_database(server: str) -> Iterator[str]:
    name = f"haven_proxy_{uuid.uuid4().hex[:8]}"
    subprocess.run(["psql", server, "-qc", f"CREATE DATABASE {name}"], check=True, timeout=60)
    try:
        yield server.rsplit("/", 1)[0] + f"/{name}"
    finally:
        subprocess.run(
            ["psql", server, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], timeout=60
        )


# --- The site: every process, and what the tests need to reach and read them.


@dataclass
class Site:
    folder: Path
    http: int
    https: int
    web_logs: dict[int, Path]  # uvicorn's log, by port
    env: dict[str, str]
    pair: dict  # the seeded seeker and listener (tests/support/devservers.py)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https}"

    @property
    def access_log(self) -> Path:
        return self.folder / "logs" / "haven.access.log"

    def tls(self, **options) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=str(self.folder / "fullchain.pem"))
        for name, value in options.items():
            setattr(context, name, value)
        return context

    def request(
        self, path: str, *, method: str = "GET", body: bytes | None = None, https: bool = True,
        headers: dict[str, str] | None = None,
    ) -> tuple[http.client.HTTPResponse, bytes]:  # fmt: skip
        if https:
            connection = http.client.HTTPSConnection(
                "127.0.0.1", self.https, context=self.tls(), timeout=30
            )
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.http, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response, response.read()
        finally:
            connection.close()

    def logged(self, matches: Callable[[dict], bool], timeout: float = 10) -> dict:
        """The first line of nginx's access log (parsed) that matches; nginx writes a request's
        line when it ends (a WebSocket's when it closes)."""
        deadline = time.monotonic() + timeout
        while True:
            for line in self.access_log.read_text().splitlines():
                parsed = ACCESS_LINE.match(line)
                assert parsed, f"not in deploy/nginx/haven.conf's log_format: {line!r}"
                if matches(parsed.groupdict()):
                    return parsed.groupdict()
            if time.monotonic() > deadline:
                pytest.fail(f"No such line in nginx's access log:\n{self.access_log.read_text()}")
            time.sleep(0.1)

    def chat_sockets_accepted(self) -> dict[int, int]:
        return {
            port: len(CHAT_SOCKET_ACCEPTED.findall(log.read_text()))
            for port, log in self.web_logs.items()
        }

    def logs(self) -> str:
        """The end of every log, for a failure's message."""
        parts = []
        for path in sorted((self.folder / "logs").iterdir()):
            parts.append(f"--- {path.name}\n" + "\n".join(path.read_text().splitlines()[-30:]))
        return "\n".join(parts)


def production_environment(folder: Path, database_url: str, https: int) -> dict[str, str]:
    """deploy/haven.env.example as shipped, but for what differs on this machine: fresh secrets
    (the example's are placeholders), the database, Redis, addresses and folders."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("HAVEN_", "DJANGO_", "DATABASE_", "REDIS_", "PROMETHEUS_"))
    }
    here = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "HAVEN_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        # The example's domain stays: `check --deploy` wants one beside this machine's names.
        "DJANGO_ALLOWED_HOSTS": "haven.example.org,127.0.0.1,localhost",
        "HAVEN_SITE_URL": f"https://127.0.0.1:{https}",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "HAVEN_CACHE_PREFIX": f"proxy-{uuid.uuid4().hex[:8]}",
        "HAVEN_DATA_DIR": str(folder / "data"),
        "HAVEN_STATIC_ROOT": str(folder / "static"),
        "PROMETHEUS_MULTIPROC_DIR": str(folder / "metrics"),
        # The safety models this suite already trained; the semantic crisis index (minutes of
        # embedding on a first build) is left out, so the fast checks decide, as on a new host
        # while it builds.
        "HAVEN_MODEL_DIR": str(settings.MODEL_DIR),
        "HAVEN_SAFETY_EMBEDDINGS": "off",
        "DJANGO_SETTINGS_MODULE": "haven.settings",
        # `haven shell -c` can import tests.support (seeding).
        "PYTHONPATH": str(ROOT),
    }
    return inherited | env_file_values(ENV_EXAMPLE) | here


SEED = (
    "from haven.communities.actions import do_save_community; "
    "from tests.support.devservers import seed_chat_pairs; "
    "do_save_community(slug='anxiety', name='Anxiety', description='For worry and panic.'); "
    "seed_chat_pairs(1, 'proxy')"
)


def start(site: Site, name: str, command: list[str], log: Path) -> None:
    with log.open("ab") as output:  # the child keeps its own copy of the descriptor
        site.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=site.env, stdout=output, stderr=subprocess.STDOUT
        )


def stop(processes: dict[str, subprocess.Popen]) -> None:
    for process in processes.values():
        process.terminate()
    for process in processes.values():
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_ready(site: Site, timeout: float = 60) -> None:
    """/readyz through the proxy: both processes answer, the database, Redis, migrations and a
    worker's heartbeat all hold."""
    deadline = time.monotonic() + timeout
    while True:
        exited = [name for name, process in site.processes.items() if process.poll() is not None]
        if exited:
            pytest.fail(f"{', '.join(exited)} stopped while starting:\n{site.logs()}")
        try:
            answers = [site.request("/readyz")[0].status for _ in range(2)]
        except OSError:
            answers = []
        if answers == [200, 200]:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"Not ready through the proxy in {timeout} s ({answers}):\n{site.logs()}")
        time.sleep(0.5)


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    needed(NGINX.is_file(), f"Debian's nginx at {NGINX}", "run `make proxy`")
    server = postgres_server()
    needed(redis_answers(REDIS_URL), f"Redis at {REDIS_URL}", "start redis-server")
    with ExitStack() as teardown:
        folder = Path(teardown.enter_context(tempfile.TemporaryDirectory(prefix="haven-proxy-")))
        for part in ("logs", "static", "data", "metrics", "acme", "temp"):
            (folder / part).mkdir()
        database_url = teardown.enter_context(own_database(server))
        http, https, *web_ports = (free_port() for _ in range(4))
        env = production_environment(folder, database_url, https)
        web_logs = {port: folder / "logs" / f"web-{port}.log" for port in web_ports}
        site = Site(folder, http, https, web_logs, env, pair={})
        teardown.callback(forget_cache, env["HAVEN_CACHE_PREFIX"])
        teardown.callback(stop, site.processes)

        # haven-setup.service: migrations, static files, safety models (side by side here).
        setting_up = [
            subprocess.Popen(local_command(argv, env), cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
            for argv in exec_start("haven-setup.service")
        ]  # fmt: skip
        outputs = [process.communicate(timeout=300)[0] for process in setting_up]
        for process, output in zip(setting_up, outputs, strict=True):
            assert process.returncode == 0, f"{process.args}:\n{output}"
        site.pair = json.loads(haven(["shell", "-v0", "-c", SEED], env).stdout.splitlines()[-1])

        # nginx, then Haven behind it.
        teardown.enter_context(running_nginx(folder, http, https, web_ports))

        # haven-web@<port>.service and haven-worker.service. Each process's log says which
        # sockets it took (uvicorn's info lines, where Haven's access log does not replace them).
        (web,) = exec_start("haven-web@.service")
        for port, log in web_logs.items():
            command = [*local_command(web, env, instance=str(port)), "--log-level", "info"]
            start(site, f"haven-web@{port}", command, log)
        (worker,) = exec_start("haven-worker.service")
        start(site, "haven-worker", local_command(worker, env), folder / "logs" / "worker.log")
        for port in (http, https, *web_ports):
            wait_for_port(port)
        wait_until_ready(site)
        yield site


def person(browser, site: Site, session: str | None = None):
    context = browser.new_context(base_url=site.url, ignore_https_errors=True)
    context.set_default_timeout(10_000)
    if session:
        context.add_cookies(
            [{"name": "sessionid", "value": session, "url": site.url, "secure": True,
              "httpOnly": True, "sameSite": "Lax"}]
        )  # fmt: skip
    return context, context.new_page()


# --- The proxy itself.


def test_plain_http_is_redirected_to_https_except_certbots_challenge(site):
    response, _ = site.request("/healthz?probe=1", https=False)
    assert response.status == 301
    # The shipped redirect names the standard port, which the host's nginx listens on.
    assert response.headers["Location"] == "https://127.0.0.1/healthz?probe=1"

    challenge = site.folder / "acme" / ".well-known" / "acme-challenge"
    challenge.mkdir(parents=True)
    (challenge / "token-42").write_text("token-42.key-authorisation")
    response, body = site.request("/.well-known/acme-challenge/token-42", https=False)
    assert (response.status, body) == (200, b"token-42.key-authorisation")


def test_tls_1_2_and_1_3_with_forward_secrecy(site):
    for version in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
        tls = site.tls(minimum_version=version, maximum_version=version)
        with (
            socket.create_connection(("127.0.0.1", site.https), timeout=10) as raw,
            tls.wrap_socket(raw, server_hostname="127.0.0.1") as connection,
        ):
            assert connection.version() == version.name.replace("_", ".")
            if version is ssl.TLSVersion.TLSv1_2:
                assert connection.cipher()[0].startswith("ECDHE-")


def test_probes_answer_through_the_proxy_and_metrics_stay_inside(site):
    response, body = site.request("/healthz")
    assert (response.status, json.loads(body)) == (200, {"status": "up"})
    response, body = site.request("/readyz")
    assert (response.status, json.loads(body)) == (200, {"status": "ready"})

    response, _ = site.request("/metrics")
    assert response.status == 404
    assert site.logged(lambda line: line["uri"] == "/metrics")["upstream"] == "-"


def test_static_files_come_from_nginx_compressed_and_pages_from_haven_uncompressed(site):
    gzip = {"Accept-Encoding": "gzip"}
    response, body = site.request("/static/haven/haven.css", headers=gzip)
    assert response.status == 200
    assert response.headers["Content-Encoding"] == "gzip"  # collectstatic's .gz file
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # Haven's SecurityMiddleware would have added this to anything it served.
    assert "Cross-Origin-Opener-Policy" not in response.headers
    line = site.logged(lambda line: line["uri"] == "/static/haven/haven.css")
    assert line["upstream"] == "-"

    response, body = site.request("/", headers=gzip)
    assert response.status == 200 and b"<html" in body
    assert "Content-Encoding" not in response.headers  # no compression of pages (BREACH)
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    # HSTS from Haven alone: once, for a year.
    assert response.headers.get_all("Strict-Transport-Security") == ["max-age=31536000"]
    line = site.logged(lambda line: line["uri"] == "/" and line["method"] == "GET")
    assert line["upstream"] in {f"127.0.0.1:{port}" for port in site.web_logs}
    # nginx's $request_id reached Haven, which sends it back.
    assert response.headers["X-Request-ID"] == line["request_id"]


def test_when_no_haven_process_answers_nginx_shows_the_crisis_lines_not_a_bare_502(site):
    """The shipped site file in front of processes that are all down (a port nothing listens
    on), with the static files this site's set-up collected: the page carries the crisis lines.
    Haven's own errors still pass through as Haven wrote them."""
    with tempfile.TemporaryDirectory(prefix="haven-proxy-down-") as name:
        folder = Path(name)
        shutil.copytree(site.folder / "static", folder / "static")
        http, https, nobody = free_port(), free_port(), free_port()
        with running_nginx(folder, http, https, [nobody]) as certificate:
            wait_for_port(https)
            tls = ssl.create_default_context(cafile=str(certificate))
            for path in ("/", "/talk/", "/c/anxiety/"):
                connection = http_client_to(https, tls)
                connection.request("GET", path)
                response = connection.getresponse()
                body = response.read().decode()
                connection.close()
                assert response.status == 502, path
                assert "isn't answering at the moment" in body
                assert "If you need support right now" in body
                assert 'href="tel:988"' in body  # HAVEN_DEFAULT_COUNTRY's line (US)
                assert "Anywhere in the world" in body
                assert "nginx" not in body.lower()
            # In the reader's language: the switch's cookie, else the browser's.
            for headers in (
                {"Accept-Language": "es-MX,es;q=0.9"},
                {"Cookie": "haven_language=es", "Accept-Language": "en-US"},
            ):
                connection = http_client_to(https, tls)
                connection.request("GET", "/talk/", headers=headers)
                response = connection.getresponse()
                body = response.read().decode()
                connection.close()
                assert response.status == 502 and '<html lang="es"' in body, headers
                assert "Estados Unidos" in body and 'href="tel:988"' in body
            connection = http_client_to(https, tls)
            connection.request(
                "GET", "/", headers={"Cookie": "haven_language=en", "Accept-Language": "es"}
            )
            body = connection.getresponse().read().decode()
            connection.close()
            assert '<html lang="en"' in body  # the switch's choice wins

    response, body = site.request("/no-such-page/")
    assert response.status == 404
    assert b"isn't answering at the moment" not in body  # Haven's own 404, untouched


def http_client_to(port: int, tls: ssl.SSLContext) -> http.client.HTTPSConnection:
    return http.client.HTTPSConnection("127.0.0.1", port, context=tls, timeout=30)


def test_bodies_over_the_limits_never_reach_haven_but_licence_evidence_may_be_larger(site):
    two_megabytes = b"x" * (2 * 1024 * 1024)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    response, _ = site.request("/accounts/login/", method="POST", body=two_megabytes, headers=form)
    assert response.status == 413
    line = site.logged(lambda line: line["uri"] == "/accounts/login/" and line["status"] == "413")
    assert line["upstream"] == "-"

    # Up to 6 MB for the evidence form: this one reaches Haven (which refuses it, unsigned in).
    evidence = "/care/apply/licences/new/"
    response, _ = site.request(evidence, method="POST", body=two_megabytes, headers=form)
    assert response.status != 413
    assert site.logged(lambda line: line["uri"] == evidence)["upstream"] != "-"


# --- A member's journey through the proxy.


def test_a_new_member_signs_up_and_posts_and_the_worker_makes_the_thread_findable(
    site, browser, shot
):
    context, page = person(browser, site)
    try:
        page.goto("/accounts/signup/")
        page.get_by_label("Pseudonym", exact=True).fill("harbour_wren")
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_label("I have read and accept the community guidelines").check()
        page.get_by_role("button", name="Create my account").click()
        expect(page).to_have_url(re.compile(r"/communities/$"))
        expect(page.get_by_text("Welcome, harbour_wren.")).to_be_visible()

        page.get_by_role("link", name="Anxiety", exact=True).click()
        page.get_by_role("button", name="Join Anxiety").click()
        expect(page.get_by_text("You joined Anxiety. Welcome.")).to_be_visible()
        page.get_by_role("link", name="Start a thread").click()
        page.get_by_label("Title").fill(THREAD_TITLE)
        page.get_by_label("What's on your mind?").fill(THREAD_BODY)
        page.get_by_role("button", name="Post thread").click()
        expect(page.get_by_text("Your thread is posted. Thank you for sharing.")).to_be_visible()
        expect(page.get_by_role("heading", level=1, name=THREAD_TITLE)).to_be_visible()
        shot(page, "thread-posted")

        # Search by meaning alone finds only what has a vector, and only the worker makes one
        # (the embed_items job the post enqueued).
        search = f"/search/?q={quote('racing heart, waking at 3am')}&mode=semantic"
        found_by_meaning(page, search, THREAD_TITLE)
        shot(page, "found-by-meaning")
    finally:
        context.close()


def found_by_meaning(page: Page, search: str, title: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        page.goto(search)
        if page.get_by_role("heading", name=title).count():
            return
        if time.monotonic() > deadline:
            pytest.fail(f"The worker never made {title!r} findable by meaning")
        time.sleep(1)


def test_a_seeker_and_a_listener_on_two_processes_chat_live(site, browser, shot):
    pair = site.pair
    url = f"/chat/{pair['conversation']}/"
    seeker_context, seeker = person(browser, site, pair["seeker_session"])
    listener_context, listener = person(browser, site, pair["listener_session"])
    try:
        before = site.chat_sockets_accepted()
        listener.goto(url)
        expect(listener.get_by_text("If someone may be in crisis")).to_be_visible()
        listener_port = process_that_took_a_socket(site, before)

        # nginx takes turns among the processes; the seeker's chat socket lands on the other
        # one within a few loads of the page. A page load sends a fixed number of requests
        # upstream: if that number is even, every load's socket meets the same process, so the
        # requests sent in between go 1, 2, 3, ... to change the parity on each try.
        for attempt in range(8):
            before = site.chat_sockets_accepted()
            if attempt:
                for _ in range(attempt):
                    site.request("/healthz")
                seeker.reload()
            else:
                seeker.goto(url)
            seeker_port = process_that_took_a_socket(site, before)
            if seeker_port != listener_port:
                break
        else:
            pytest.fail("nginx gave the seeker's chat socket to the listener's process 8 times")

        seeker.get_by_label("Your message").fill("Hi. I haven't slept properly in weeks.")
        seeker.get_by_role("button", name="Send").click()
        expect(listener.locator("[data-log]")).to_contain_text("I haven't slept properly")
        listener.get_by_label("Your message").fill("That sounds exhausting. I'm here.")
        listener.get_by_role("button", name="Send").click()
        expect(seeker.locator("[data-log]")).to_contain_text("That sounds exhausting. I'm here.")
        expect(listener.get_by_text("Seen")).to_be_visible()
        shot(seeker, "seeker")
        shot(listener, "listener")
    finally:
        seeker_context.close()
        listener_context.close()

    # nginx logs a socket when it closes: both went through it, to the two processes.
    for port in (listener_port, seeker_port):
        site.logged(
            lambda line, port=port: (
                line["uri"].startswith("/ws/chat/")
                and line["status"] == "101"
                and line["upstream"] == f"127.0.0.1:{port}"
            )
        )


def process_that_took_a_socket(site: Site, before: dict[int, int], timeout: float = 10) -> int:
    deadline = time.monotonic() + timeout
    while True:
        after = site.chat_sockets_accepted()
        grown = [port for port in after if after[port] > before[port]]
        if grown:
            assert len(grown) == 1, (before, after)
            return grown[0]
        if time.monotonic() > deadline:
            pytest.fail(f"No process accepted the chat socket:\n{site.logs()}")
        time.sleep(0.1)


# --- The configuration.


def test_haven_check_deploy_finds_this_configuration_clean(site):
    checked = haven(["check", "--deploy", "--database", "default"], site.env)
    assert "System check identified no issues" in checked.stdout + checked.stderr, checked
