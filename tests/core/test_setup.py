"""The two-command set-up: demo data, the `haven` command, and the configured backends."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from haven.accounts.models import User
from haven.communities.models import Community
from haven.forums.models import Post, Reaction, Thread
from haven.updates.models import Follow, Update


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (User, Community, Thread, Post, Reaction, Update, Follow)
    }


def test_demo_data_makes_a_living_site_and_loads_idempotently(db, client, capsys):
    call_command("load_demo_data")
    first = counts()
    assert "Demo login: pseudonym 'demo'" in capsys.readouterr().out
    call_command("load_demo_data")
    assert counts() == first
    assert first["Community"] >= 8 and first["Thread"] >= 30 and first["Update"] >= 30
    assert Thread.objects.filter(reply_count=0).exists()  # some calls for help still wait
    assert Post.objects.filter(depth=2).exists() and Post.objects.filter(is_anonymous=True).exists()
    assert Reaction.objects.exists() and Follow.objects.exists()
    from haven.demo.management.commands.load_demo_data import DEMO_PASSWORD

    response = client.post("/accounts/login/", {"username": "demo", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    home = client.get("/home/").content.decode()
    assert "no replies yet" in home

    # One login per role, with the authenticator note where the role asks for one.
    capsys.readouterr()
    call_command("demo_logins")
    logins = capsys.readouterr().out
    assert f"Demo logins (password for each: {DEMO_PASSWORD}):" in logins
    for line, needs_app in [
        ("demo              a member", False),
        ("LanternKeeper     a trained listener", False),
        ("QuietHarbor       a moderator", True),
        ("therapist_amara   a licensed therapist", True),
        ("haven_admin       the site's admin (also /admin/)", True),
    ]:
        shown = next(row for row in logins.splitlines() if row.strip().startswith(line.strip()))
        assert ("authenticator app" in shown) is needs_app, shown


def test_demo_logins_say_nothing_without_demo_data(db, capsys):
    call_command("demo_logins")
    assert capsys.readouterr().out == ""


def test_the_haven_command_is_manage_py_under_haven_s_name():
    haven = Path(sys.executable).with_name("haven")
    assert haven.exists(), "the console script is installed with the package"
    result = subprocess.run(
        [str(haven), "check"], capture_output=True, text=True, timeout=120, env=os.environ.copy()
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_database_follows_database_url(db):
    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )
    assert connection.vendor == expected


def test_the_cache_follows_redis_url_and_round_trips():
    backend = settings.CACHES["default"]["BACKEND"]
    if os.environ.get("REDIS_URL"):
        assert backend == "django.core.cache.backends.redis.RedisCache"
    else:
        assert backend == "django.core.cache.backends.locmem.LocMemCache"
    cache.set("setup-check", {"ok": 1}, 30)
    assert cache.get("setup-check") == {"ok": 1}


def test_the_channel_layer_follows_redis_url_and_delivers_group_messages():
    layer = get_channel_layer()
    expected = "RedisPubSubChannelLayer" if os.environ.get("REDIS_URL") else "InMemoryChannelLayer"
    assert type(layer).__name__ == expected

    async def round_trip():
        channel = await layer.new_channel()
        await layer.group_add("setup-check", channel)
        await layer.group_send("setup-check", {"type": "check.message", "n": 7})
        message = await layer.receive(channel)
        await layer.group_discard("setup-check", channel)
        return message

    assert async_to_sync(round_trip)() == {"type": "check.message", "n": 7}


@pytest.mark.django_db
def test_full_text_search_uses_the_databases_own_engine():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT data_type FROM information_schema.columns "
                "WHERE table_name = 'search_index' AND column_name = 'document'"
            )
            assert cursor.fetchone()[0] == "tsvector"
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'search_index'")
            assert "fts5" in cursor.fetchone()[0].lower()
