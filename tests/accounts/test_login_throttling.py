"""Login throttling that cannot be dodged: the client's address comes from the socket unless a
trusted proxy says otherwise, a pseudonym is counted however it is written, and one account is
protected from a slow guess spread over many addresses, on the form and the API alike."""

from django.test import Client

from tests.conftest import PASSWORD


def form_login(client: Client, pseudonym: str, password: str, **headers) -> int:
    response = client.post(
        "/accounts/login/", {"username": pseudonym, "password": password}, headers=headers
    )
    return response.status_code


def api_login(client: Client, pseudonym: str, password: str, **headers):
    return client.post(
        "/api/auth/token",
        {"pseudonym": pseudonym, "password": password},
        content_type="application/json",
        headers=headers,
    )


def lockout_text(response) -> str:
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def from_address(ip: str) -> Client:
    return Client(REMOTE_ADDR=ip)


def test_a_forged_forwarded_for_header_buys_no_fresh_counter(client, alice, settings):
    # Public-looking addresses: the kind a header-trusting library would believe.
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert form_login(client, "alice", "wrong", **{"X-Forwarded-For": f"81.2.69.{n}"}) == 200
    assert form_login(client, "alice", "wrong", **{"X-Forwarded-For": "81.2.70.9"}) == 429
    locked = api_login(client, "alice", PASSWORD, **{"X-Forwarded-For": "81.2.71.77"})
    assert locked.status_code == 429 and "Too many attempts" in locked.json()["detail"]


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(alice, settings):
    settings.HAVEN_TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = from_address("10.0.0.2")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        form_login(proxy, "alice", "wrong", **{"X-Forwarded-For": "203.0.113.5"})
    assert form_login(proxy, "alice", PASSWORD, **{"X-Forwarded-For": "203.0.113.5"}) == 429
    # Another visitor behind the same proxy has their own counter and signs in.
    assert form_login(proxy, "alice", PASSWORD, **{"X-Forwarded-For": "203.0.113.6"}) == 302
    # A client that prepends its own forged hop is still known by what the proxy saw.
    forged = "198.51.100.1, 203.0.113.5"
    assert form_login(Client(REMOTE_ADDR="10.0.0.2"), "alice", PASSWORD,
                      **{"X-Forwarded-For": forged}) == 429  # fmt: skip
    # The header from anyone who is not our proxy is ignored.
    stranger = from_address("192.0.2.10")
    assert form_login(stranger, "alice", PASSWORD, **{"X-Forwarded-For": "203.0.113.6"}) == 302


def test_case_variants_of_a_pseudonym_share_one_counter(client, guidelines, settings):
    from tests.conftest import make_member

    make_member("lock_test2", guidelines)
    spellings = ["lock_test2", "Lock_test2", "LOCK_TEST2", " lock_Test2 "]
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert form_login(client, spellings[n % len(spellings)], "wrong") == 200
    assert form_login(client, "lock_test2", "wrong") == 429
    assert form_login(client, "Lock_test2", PASSWORD) == 429
    assert api_login(client, "LOCK_test2", PASSWORD).status_code == 429


def test_a_slow_guess_from_many_addresses_locks_the_account(alice, bob, settings):
    settings.HAVEN_LOGIN_ACCOUNT_FAILURE_LIMIT = 12
    # Two tries from each address: never near the per-address limit. The twelfth failure
    # reaches the account's limit and is answered with the lockout.
    answers = [
        form_login(from_address(f"198.51.100.{n // 2}"), "alice", f"guess-{n}") for n in range(12)
    ]
    assert answers == [200] * 11 + [429]
    newcomer = from_address("192.0.2.200")
    assert form_login(newcomer, "alice", PASSWORD) == 429
    assert api_login(newcomer, "alice", PASSWORD).status_code == 429
    # Other accounts are untouched.
    assert form_login(newcomer, "bob", PASSWORD) == 302


def test_the_lockout_reads_the_same_whether_or_not_the_pseudonym_exists(client, alice, settings):
    for pseudonym in ("alice", "nobody_here"):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            form_login(client, pseudonym, "wrong")
    known = client.post("/accounts/login/", {"username": "alice", "password": "x"})
    unknown = client.post("/accounts/login/", {"username": "nobody_here", "password": "x"})
    assert known.status_code == unknown.status_code == 429
    assert lockout_text(known) == lockout_text(unknown)
    assert "Too many attempts" in lockout_text(known)
    known_api = api_login(client, "alice", "x")
    unknown_api = api_login(client, "nobody_here", "x")
    assert known_api.status_code == unknown_api.status_code == 429
    assert known_api.json() == unknown_api.json()
    assert "wait 15 minutes" in known_api.json()["detail"]


def test_the_api_and_the_form_count_on_the_same_counters(client, alice, settings):
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        if n % 2:
            assert form_login(client, "alice", "wrong") == 200
        else:
            assert api_login(client, "ALICE", "wrong").status_code == 401
    assert api_login(client, "alice", "wrong").status_code == 429
    assert form_login(client, "alice", PASSWORD) == 429


def test_api_sign_up_is_throttled_per_client_address(guidelines, settings):
    settings.HAVEN_RATE_LIMITS = {**settings.HAVEN_RATE_LIMITS, "signup": {"ip": "3/h"}}
    client = Client()
    statuses = [
        client.post(
            "/api/auth/signup",
            {"pseudonym": f"Newcomer{n}", "password": "lanterns-over-the-bay-7",
             "accept_guidelines": True},
            content_type="application/json",
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
        ).status_code
        for n in range(5)
    ]  # fmt: skip
    assert statuses == [201, 201, 201, 429, 429]
    # The web form shares the limit: it is the same client. It comes back filled.
    response = client.post(
        "/accounts/signup/",
        {"pseudonym": "Another1", "password": "lanterns-over-the-bay-7", "accept_guidelines": "on"},
    )
    assert response.status_code == 429 and 'value="Another1"' in response.content.decode()
