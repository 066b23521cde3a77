"""The embedded default's disk fills up: a real server process whose SQLite database lives on a
small tmpfs of its own. A journal entry written while the disk is full gets the 503 page with
crisis lines (and the host a log line that says what to do), nothing already saved is damaged,
and once space is freed the next entry saves, with no restart."""

import contextlib
import json
import os
import re
import sqlite3
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.support.devservers import asgi_servers, haven, server_environment

SEED = """
import json
from haven.accounts.actions import do_publish_guidelines
from haven.wellness.journal import do_create_journal_entry
from tests.conftest import make_member
from tests.support.devservers import signed_in_session
member = make_member("full_disk", do_publish_guidelines("Be kind."))
do_create_journal_entry(title="", body="Saved before the disk filled.", tags=[], mood=None,
                        acting_user=member)
print(json.dumps({"session": signed_in_session(member)}))
"""


@contextlib.contextmanager
def small_disk(path: Path, size: str):
    if os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("The disk-full test mounts a tmpfs: run the suite as root in CI.")
        pytest.skip("mounting a tmpfs needs root")
    path.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], check=True)
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill(disk: Path) -> Path:
    filler = disk / "filler"
    with filler.open("wb") as out, contextlib.suppress(OSError):
        while True:
            out.write(b"\0" * 65536)
            out.flush()
    return filler


def journal_bodies(database: Path) -> list[str]:
    from django.conf import settings

    from haven.wellness.encryption import current_fernet

    assert settings.HAVEN_ENCRYPTION_KEYS  # the test's own process reads with the server's keys
    with contextlib.closing(sqlite3.connect(database)) as db:
        tokens = [row[0] for row in db.execute("SELECT body FROM wellness_journalentry")]
    return [current_fernet().decrypt(token.encode()).decode() for token in tokens]


def form_token(web: httpx.Client) -> str:
    form = web.get("/journal/new/")
    assert form.status_code == 200
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)


def write_entry(web: httpx.Client, body: str, token: str | None = None) -> httpx.Response:
    token = token or form_token(web)
    return web.post(
        "/journal/new/",
        data={"csrfmiddlewaretoken": token, "title": "", "body": body, "tags": "", "mood": ""},
    )


def test_a_full_disk_gives_a_clear_answer_damages_nothing_and_recovers_by_itself(
    tmp_path, settings
):
    with small_disk(tmp_path / "disk", "48m") as disk:
        database = disk / "haven.sqlite3"
        env = server_environment(f"sqlite:///{database}", "", str(disk))
        env.update(HAVEN_MODEL_DIR=str(settings.MODEL_DIR), HAVEN_SAFETY_EMBEDDINGS="off")
        haven(["migrate", "--noinput", "-v0"], env)
        session = json.loads(haven(["shell", "-v0", "-c", SEED], env).stdout)["session"]
        keys = (disk / "encryption_keys").read_text().split()
        settings.HAVEN_ENCRYPTION_KEYS = keys
        log = tmp_path / "server.log"
        with (
            asgi_servers(1, env, log_path=log) as (port,),
            httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as web,
        ):
            web.cookies.set("sessionid", session)
            assert write_entry(web, "A second entry, before.").status_code == 302

            token = form_token(web)  # the page was open before the disk filled
            filler = fill(disk)
            refused = write_entry(web, "Written while the disk was full.", token)
            assert refused.status_code == 503
            assert "may not have been saved" in refused.text
            # The words are handed back to copy, not lost with the failed save.
            assert "Written while the disk was full." in refused.text
            assert "988" in refused.text  # the crisis lines, on the error page too
            # Reading may fail too (SQLite's shared memory cannot grow): help is still shown.
            assert "988" in web.get("/help/").text
            assert "The disk holding the database is full" in log.read_text()

            filler.unlink()
            assert write_entry(web, "Written after space was freed.").status_code == 302

        with contextlib.closing(sqlite3.connect(database)) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert sorted(journal_bodies(database)) == sorted(
            [
                "Saved before the disk filled.",
                "A second entry, before.",
                "Written after space was freed.",
            ]
        )
