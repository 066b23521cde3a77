"""Where accounts are seen, as keyed digests only: the device cookie, the network prefix, when
they are recorded, and that raw addresses and cookie tokens are never stored."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.utils import timezone

from haven.accounts.device_cookie import DEVICE_COOKIE_MAX_AGE
from haven.accounts.device_signals import (
    DEVICE_COOKIE_NAME,
    SESSION_KEY,
    do_record_device_signals,
    network_prefix,
    signal_digest,
)
from haven.accounts.models import DeviceSignal, User
from haven.accounts.tasks import prune_device_signals
from haven.jobs.schedule import PERIODIC_JOBS
from tests.conftest import PASSWORD, client_for

ADDRESS = "203.0.113.77"
SIGNUP = {
    "pseudonym": "QuietFern",
    "password": "lanterns-over-the-bay-7",
    "email": "",
    "accept_guidelines": "on",
}


def signals_of(user: User) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for kind, digest in DeviceSignal.objects.filter(user=user).values_list("kind", "digest"):
        found.setdefault(kind, []).append(digest)
    return found


def test_signing_up_sets_the_device_cookie_and_stores_only_digests(guidelines):
    client = Client(REMOTE_ADDR=ADDRESS)
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    cookie = response.cookies[DEVICE_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and not cookie["secure"]
    assert cookie["max-age"] == DEVICE_COOKIE_MAX_AGE
    token = cookie.value
    assert len(token) >= 40
    user = User.objects.get(pseudonym="QuietFern")
    stored = signals_of(user)
    assert stored == {
        "device": [signal_digest("device", token)],
        "network": [signal_digest("network", "203.0.113.0/24")],
    }
    for digests in stored.values():
        assert len(digests[0]) == 64 and int(digests[0], 16) >= 0
        assert token not in digests[0] and ADDRESS not in digests[0]


def test_the_device_cookie_is_secure_when_haven_runs_on_https(guidelines, settings):
    settings.HTTPS = True
    response = Client(REMOTE_ADDR=ADDRESS).post("/accounts/signup/", SIGNUP, secure=True)
    assert response.cookies[DEVICE_COOKIE_NAME]["secure"]


def test_digests_are_keyed_by_the_secret_key(settings):
    before = signal_digest("network", "203.0.113.0/24")
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert signal_digest("network", "203.0.113.0/24") != before
    # One salt per kind: a cookie token can never collide with a network.
    assert signal_digest("device", "x") != signal_digest("network", "x")


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("203.0.113.5", "203.0.113.200", True),
        ("203.0.113.5", "203.0.114.5", False),
        ("2001:db8:1:2::1", "2001:db8:1:ffff::9", True),
        ("2001:db8:1::1", "2001:db8:2::1", False),
        ("::ffff:203.0.113.5", "203.0.113.9", True),
    ],
)
def test_addresses_are_grouped_by_network(first, second, same):
    assert (network_prefix(first) == network_prefix(second)) is same


def test_addresses_that_name_nobody_give_no_network(settings):
    settings.HAVEN_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert network_prefix("127.0.0.1") is None
    assert network_prefix("") is None
    assert network_prefix("not an address") is None
    assert network_prefix("10.1.2.3") is None  # our own proxy


def test_two_addresses_in_one_network_are_stored_as_one_network(guidelines):
    Client(REMOTE_ADDR="203.0.113.5").post("/accounts/signup/", SIGNUP)
    Client(REMOTE_ADDR="203.0.113.200").post(
        "/accounts/signup/", {**SIGNUP, "pseudonym": "StillWater"}
    )
    first, second = (
        signals_of(User.objects.get(pseudonym=name))["network"]
        for name in ("QuietFern", "StillWater")
    )
    assert first == second


def test_logging_in_records_the_browser_and_network(alice):
    client = Client(REMOTE_ADDR=ADDRESS)
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    token = response.cookies[DEVICE_COOKIE_NAME].value
    assert signals_of(alice)["device"] == [signal_digest("device", token)]
    assert signals_of(alice)["network"] == [signal_digest("network", "203.0.113.0/24")]


def test_the_quick_start_records_signals(guidelines):
    client = Client(REMOTE_ADDR=ADDRESS)
    assert client.post("/talk/", {"accept_guidelines": "on"}).status_code == 302
    user = User.objects.get(pk=client.session["_auth_user_id"])
    assert set(signals_of(user)) == {"device", "network"}


def test_the_api_records_the_network_at_sign_up_and_token_issue(guidelines, alice):
    app = Client(REMOTE_ADDR=ADDRESS)
    response = app.post(
        "/api/auth/signup",
        {"pseudonym": "AppFern", "password": "lanterns-over-the-bay-7", "accept_guidelines": True},
        content_type="application/json",
    )
    assert response.status_code == 201
    # An app is no browser: no cookie, no session.
    assert DEVICE_COOKIE_NAME not in response.cookies and "sessionid" not in response.cookies
    assert set(signals_of(User.objects.get(pseudonym="AppFern"))) == {"network"}
    response = app.post(
        "/api/auth/token",
        {"pseudonym": "alice", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert set(signals_of(alice)) == {"network"}


def test_token_requests_record_at_most_once_a_day(alice):
    app = Client(REMOTE_ADDR=ADDRESS)
    token = app.post(
        "/api/auth/token", {"pseudonym": "alice", "password": PASSWORD},
        content_type="application/json",
    ).json()["token"]  # fmt: skip
    DeviceSignal.objects.all().delete()
    elsewhere = Client(REMOTE_ADDR="198.51.100.4", headers={"Authorization": f"Bearer {token}"})
    assert elsewhere.get("/api/me").status_code == 200
    assert len(signals_of(alice)["network"]) == 1
    DeviceSignal.objects.all().delete()
    assert elsewhere.get("/api/me").status_code == 200
    assert signals_of(alice) == {}  # already recorded today
    assert DEVICE_COOKIE_NAME not in elsewhere.cookies


def test_a_signed_in_member_without_the_cookie_gets_one_and_is_recorded(alice):
    client = client_for(alice)
    response = client.get("/home/")
    assert DEVICE_COOKIE_NAME in response.cookies
    assert "device" in signals_of(alice)


def test_later_requests_record_at_most_once_a_day(alice):
    client = Client(REMOTE_ADDR=ADDRESS)
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    signal = DeviceSignal.objects.get(user=alice, kind="device")
    DeviceSignal.objects.filter(pk=signal.pk).update(
        last_seen_at=timezone.now() - timedelta(days=3)
    )
    client.get("/home/")
    signal.refresh_from_db()
    assert signal.last_seen_at < timezone.now() - timedelta(days=2)  # not again today
    session = client.session
    session[SESSION_KEY] = f"{alice.pk}:2000-01-01"  # as if last recorded on another day
    session.save()
    client.get("/home/")
    signal.refresh_from_db()
    assert signal.last_seen_at > timezone.now() - timedelta(minutes=1)
    assert DeviceSignal.objects.filter(user=alice).count() == 2  # the same two rows


def test_a_browser_refusing_the_cookie_adds_no_rows_after_the_first(alice):
    client = Client(REMOTE_ADDR=ADDRESS)
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    for _ in range(3):
        client.cookies.pop(DEVICE_COOKIE_NAME)
        client.get("/home/")
    assert DeviceSignal.objects.filter(user=alice, kind="device").count() == 1


def every_stored_value() -> str:
    """Every row of every table (sessions decoded), as one text to search."""
    text = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            # Table names come from the database itself, quoted by its own backend.
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            text.extend(repr(row) for row in cursor.fetchall())
    text.extend(repr(session.get_decoded()) for session in Session.objects.all())
    return "\n".join(text)


def test_no_table_holds_the_raw_address_or_the_cookie_token(guidelines, alice):
    signup = Client(REMOTE_ADDR=ADDRESS)
    token = signup.post("/accounts/signup/", SIGNUP).cookies[DEVICE_COOKIE_NAME].value
    login = Client(REMOTE_ADDR="198.51.100.23")
    login.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    Client(REMOTE_ADDR="192.0.2.99").post(
        "/api/auth/token", {"pseudonym": "alice", "password": PASSWORD},
        content_type="application/json",
    )  # fmt: skip
    stored = every_stored_value()
    assert "QuietFern" in stored  # the scan does see the rows
    for raw in (ADDRESS, "203.0.113.0", "198.51.100.23", "198.51.100.0", "192.0.2.99", token):
        assert raw not in stored


def test_the_pruning_job_forgets_signals_not_seen_for_a_while(alice, bob, settings):
    settings.HAVEN_DEVICE_SIGNAL_DAYS = 180
    assert any(job.task_path.endswith("prune_device_signals") for job in PERIODIC_JOBS)
    do_record_device_signals(alice, {"device": "a" * 64})
    do_record_device_signals(bob, {"device": "b" * 64})
    DeviceSignal.objects.filter(user=alice).update(
        first_seen_at=timezone.now() - timedelta(days=400),
        last_seen_at=timezone.now() - timedelta(days=181),
    )
    assert prune_device_signals.call() == 1
    assert list(DeviceSignal.objects.values_list("user__pseudonym", flat=True)) == ["bob"]


def test_the_pruning_job_forgets_failed_login_addresses_after_the_cool_off(alice):
    for _ in range(2):
        Client(REMOTE_ADDR=ADDRESS).post(
            "/accounts/login/", {"username": "alice", "password": "wrong"}
        )
    assert AccessAttempt.objects.filter(ip_address=ADDRESS).exists()  # needed while it counts
    prune_device_signals.call()
    assert AccessAttempt.objects.filter(ip_address=ADDRESS).exists()
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(hours=1))
    prune_device_signals.call()
    assert not AccessAttempt.objects.exists()


def test_signals_go_with_the_account(alice):
    client = Client(REMOTE_ADDR=ADDRESS)
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert DeviceSignal.objects.filter(user=alice).exists()
    response = client.post("/accounts/delete/", {"password": PASSWORD, "content": "erase"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=alice.pk).exists()
    assert not DeviceSignal.objects.exists()


def test_members_never_see_their_signals_in_their_data_export(alice):
    client = Client(REMOTE_ADDR=ADDRESS)
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    digest = DeviceSignal.objects.filter(user=alice).values_list("digest", flat=True).first()
    exported = client.post("/accounts/export/").content.decode()
    assert digest not in exported
