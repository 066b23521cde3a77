"""The safety plan: filled in step by step, encrypted at rest, private to its owner (staff
included), shared read-only with a listener only while their chat is open, printable, and the
same through the JSON API."""

import pytest
from django.db import connection

from haven.chat.actions import do_end_conversation
from haven.wellness.models import SafetyPlan, SafetyPlanShare
from haven.wellness.safety_plan import STEP_KEYS, STEPS
from tests.conftest import client_for

SECRET = "quietmarigold my sister Jo on speed dial"


# --- Fixtures and helpers ------------------------------------------------------------------


@pytest.fixture
def alice_plan(alice, alice_client):
    """Alice has written two steps of her plan through the pages."""
    fill(alice_client, "people_to_ask", SECRET)
    fill(alice_client, "reasons_for_living", "My cat\nThe sea in summer")
    return SafetyPlan.objects.get(member=alice)


def fill(client, step: str, text: str, *, next_step: bool = False):
    data = {"items": text, **({"next": "1"} if next_step else {})}
    return client.post(f"/safety-plan/step/{step}/", data)


def steps_of(member) -> dict:
    return SafetyPlan.objects.get(member=member).steps


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def share(client, conversation, **data):
    return client.post(f"/safety-plan/share/chat/{conversation.pk}/", data)


# --- Filling in the plan, one step at a time ------------------------------------------------


def test_an_empty_plan_invites_the_member_to_start(alice_client):
    shown = page(alice_client, "/safety-plan/")
    assert "Start my plan" in shown and 'href="/safety-plan/step/warning_signs/"' in shown
    assert shown.count("Not filled in yet") == len(STEPS) == 7
    assert "Your plan is not shared with anyone." in shown


def test_a_step_shows_its_question_and_examples(alice_client):
    shown = page(alice_client, "/safety-plan/step/warning_signs/")
    assert "My warning signs" in shown
    assert "tell you a crisis may be building?" in shown
    assert "Not sleeping for several nights" in shown and "Pulling away from everyone" in shown
    assert "Step 1 of 6" in shown
    assert '<button type="submit" name="next"' in shown  # "Save and continue"
    assert "Back</a>" not in shown  # the first step has nowhere to go back to
    second = page(alice_client, "/safety-plan/step/coping_strategies/")
    assert "Step 2 of 6" in second and 'href="/safety-plan/step/warning_signs/">Back' in second


def test_save_and_continue_moves_through_every_step_to_the_plan(alice, alice_client):
    for index, key in enumerate(STEP_KEYS):
        response = fill(alice_client, key, f"first {key}\nsecond {key}", next_step=True)
        assert response.status_code == 302
        expected = (
            f"/safety-plan/step/{STEP_KEYS[index + 1]}/"
            if index + 1 < len(STEP_KEYS)
            else "/safety-plan/"
        )
        assert response["Location"] == expected
    assert steps_of(alice) == {key: [f"first {key}", f"second {key}"] for key in STEP_KEYS}

    shown = page(alice_client, "/safety-plan/")
    assert "Not filled in yet" not in shown and "Start my plan" not in shown
    positions = [shown.index(f"<li>first {key}</li>") for key in STEP_KEYS]
    assert positions == sorted(positions)  # in the order of the steps


def test_the_last_step_saves_and_shows_the_plan(alice, alice_client):
    last = page(alice_client, "/safety-plan/step/reasons_for_living/")
    assert "One last thing" in last and "Save my plan" in last
    assert '<button type="submit" name="next"' not in last

    response = alice_client.post(
        "/safety-plan/step/reasons_for_living/", {"items": "a\nb"}, follow=True
    )
    assert response.redirect_chain == [("/safety-plan/", 302)]
    shown = response.content.decode()
    assert "Your safety plan is saved." in shown
    assert "<li>a</li>" in shown and "<li>b</li>" in shown
    assert steps_of(alice) == {"reasons_for_living": ["a", "b"]}


def test_save_without_next_finishes_later_on_the_plan_page(alice, alice_client):
    response = fill(alice_client, "warning_signs", "a\nb")
    assert response["Location"] == "/safety-plan/"
    # Coming back to the step shows what was written.
    assert "a\nb</textarea>" in page(alice_client, "/safety-plan/step/warning_signs/")


def test_empty_lines_are_dropped_and_items_trimmed(alice, alice_client):
    fill(alice_client, "coping_strategies", "  a walk  \r\n\r\n   \n\ta hot shower\n\n")
    assert steps_of(alice)["coping_strategies"] == ["a walk", "a hot shower"]


def test_at_most_twelve_items_are_kept_and_each_is_cut_to_300_characters(alice, alice_client):
    fill(alice_client, "distractions", "\n".join(f"place {n}" for n in range(1, 16)))
    assert steps_of(alice)["distractions"] == [f"place {n}" for n in range(1, 13)]
    fill(alice_client, "professionals", "x" * 400)
    assert steps_of(alice)["professionals"] == ["x" * 300]


def test_clearing_a_step_empties_it_and_leaves_the_others(alice, alice_client):
    fill(alice_client, "warning_signs", "a\nb")
    fill(alice_client, "coping_strategies", "c")
    fill(alice_client, "warning_signs", "")
    assert steps_of(alice) == {"warning_signs": [], "coping_strategies": ["c"]}


def test_an_unknown_step_is_404_and_saves_nothing(alice, alice_client):
    assert alice_client.get("/safety-plan/step/favourite_snacks/").status_code == 404
    assert fill(alice_client, "favourite_snacks", "crisps").status_code == 404
    assert not SafetyPlan.objects.filter(member=alice).exists()


# --- Privacy: encrypted at rest, nobody else sees it ---------------------------------------


def test_the_stored_plan_holds_no_plaintext(alice_plan):
    with connection.cursor() as cursor:
        cursor.execute("SELECT steps FROM wellness_safetyplan WHERE id = %s", [alice_plan.pk])
        (raw,) = cursor.fetchone()
    assert raw and isinstance(raw, str)
    for plaintext in ("quietmarigold", "speed dial", "My cat", "people_to_ask", "reasons"):
        assert plaintext not in raw
    assert raw.startswith("gAAAA")  # a Fernet token
    # ...while the model reads it back whole.
    assert SafetyPlan.objects.get(pk=alice_plan.pk).steps["people_to_ask"] == [SECRET]


@pytest.mark.parametrize("who", ["bob", "moderator_kim", "site_admin"])
def test_nobody_else_sees_the_plan_staff_included(alice_plan, who, request):
    viewer = request.getfixturevalue(who)
    client = client_for(viewer)
    own = page(client, "/safety-plan/")
    assert "Start my plan" in own and "quietmarigold" not in own and "My cat" not in own
    data = client.get("/api/safety-plan").json()
    assert [step["items"] for step in data["steps"]] == [[]] * 7
    assert "quietmarigold" not in client.get("/api/me/export").content.decode()
    for url in ("/admin/wellness/safetyplan/", "/admin/wellness/safetyplanshare/"):
        response = client.get(url)
        assert response.status_code == (404 if viewer.is_staff else 302), url
    if viewer.is_staff:
        index = page(client, "/admin/")
        assert "Safety plan" not in index and "Library roles" in index
    # Their visits created an empty plan of their own, never a view of Alice's.
    assert SafetyPlan.objects.get(member=viewer).steps == {}


def test_the_owner_gets_the_plan_in_their_data_export(alice_plan, alice_client):
    plan = alice_client.get("/api/me/export").json()["safety_plan"]
    assert plan["people_to_ask"] == [SECRET]
    assert plan["reasons_for_living"] == ["My cat", "The sea in summer"]
    assert plan["warning_signs"] == []


# --- Sharing with a listener during an open chat -------------------------------------------


def test_the_seeker_shares_the_plan_and_the_listener_reads_it(
    alice, alice_plan, alice_client, conversation, listener_lee
):
    lee = client_for(listener_lee.user)
    offered = page(alice_client, "/safety-plan/")
    assert "Let my listener listener_lee read it during our chat" in offered
    assert "Read their safety plan" not in page(lee, f"/chat/{conversation.pk}/")

    response = share(alice_client, conversation)
    assert response.status_code == 302 and response["Location"] == "/safety-plan/"
    shared = SafetyPlanShare.objects.get()
    assert (shared.plan, shared.shared_with, shared.conversation) == (
        alice_plan,
        listener_lee.user,
        conversation,
    )
    # Sharing twice gives the same share.
    share(alice_client, conversation)
    assert SafetyPlanShare.objects.count() == 1

    shown = page(lee, f"/safety-plan/shared/{shared.pk}/")
    assert "<h1>alice's safety plan</h1>" in shown
    assert "quietmarigold my sister Jo on speed dial" in shown and "<li>My cat</li>" in shown
    assert "/safety-plan/step/" not in shown  # read-only
    # The chat's channel says where the listener came from.
    assert f'<a href="/chat/{conversation.pk}/">Back to the chat</a>' in shown
    chat_page = page(lee, f"/chat/{conversation.pk}/")
    assert "Read their safety plan" in chat_page
    assert f'href="/safety-plan/shared/{shared.pk}/"' in chat_page

    mine = page(alice_client, "/safety-plan/")
    assert "Shared with listener_lee (your listener in an open chat)" in mine
    assert "Stop sharing" in mine
    assert "Stop sharing my safety plan" in page(alice_client, f"/chat/{conversation.pk}/")


def test_sharing_from_the_chat_page_returns_to_the_chat(alice_plan, alice_client, conversation):
    response = share(alice_client, conversation, next=f"/chat/{conversation.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/chat/{conversation.pk}/"
    assert SafetyPlanShare.objects.count() == 1


def test_sharing_does_not_redirect_to_another_site(alice_plan, alice_client, conversation):
    response = share(alice_client, conversation, next="https://evil.example/phish")
    assert response.status_code == 302
    assert not response["Location"].startswith(("http://", "https://", "//"))


@pytest.mark.parametrize("who", ["bob", "moderator_kim", "site_admin"])
def test_outsiders_can_neither_read_nor_share_the_plan(
    alice_plan, alice_client, conversation, who, request
):
    share(alice_client, conversation)
    shared = SafetyPlanShare.objects.get()
    outsider = client_for(request.getfixturevalue(who))
    response = outsider.get(f"/safety-plan/shared/{shared.pk}/")
    assert response.status_code == 404 and "quietmarigold" not in response.content.decode()
    assert share(outsider, conversation).status_code == 404
    assert outsider.post(f"/safety-plan/shares/{shared.pk}/revoke/").status_code == 404
    assert SafetyPlanShare.objects.filter(revoked_at__isnull=True).count() == 1


def test_the_listener_can_neither_share_nor_revoke_the_seekers_plan(
    alice_plan, alice_client, conversation, listener_lee
):
    lee = client_for(listener_lee.user)
    assert share(lee, conversation).status_code == 404
    assert not SafetyPlanShare.objects.exists()
    share(alice_client, conversation)
    shared = SafetyPlanShare.objects.get()
    assert lee.post(f"/safety-plan/shares/{shared.pk}/revoke/").status_code == 404
    assert SafetyPlanShare.objects.get().revoked_at is None
    # Lee's own plan page is Lee's own, empty plan.
    assert "quietmarigold" not in page(lee, "/safety-plan/")


def test_revoking_ends_access_and_sharing_again_lasts_only_while_the_chat_is_open(
    alice, alice_plan, alice_client, conversation, listener_lee
):
    lee = client_for(listener_lee.user)
    share(alice_client, conversation)
    first = SafetyPlanShare.objects.get()

    response = alice_client.post(f"/safety-plan/shares/{first.pk}/revoke/")
    assert response.status_code == 302 and response["Location"] == "/safety-plan/"
    assert lee.get(f"/safety-plan/shared/{first.pk}/").status_code == 404
    assert "Read their safety plan" not in page(lee, f"/chat/{conversation.pk}/")
    assert "Your plan is not shared with anyone." in page(alice_client, "/safety-plan/")
    assert alice_client.post(f"/safety-plan/shares/{first.pk}/revoke/").status_code == 404

    share(alice_client, conversation)
    second = SafetyPlanShare.objects.get(revoked_at__isnull=True)
    assert second.pk != first.pk
    assert lee.get(f"/safety-plan/shared/{second.pk}/").status_code == 200
    assert lee.get(f"/safety-plan/shared/{first.pk}/").status_code == 404

    do_end_conversation(conversation, ended_by=listener_lee.user)
    response = lee.get(f"/safety-plan/shared/{second.pk}/")
    assert response.status_code == 404 and "quietmarigold" not in response.content.decode()
    assert "Read their safety plan" not in page(lee, f"/chat/{conversation.pk}/")
    # An ended chat cannot be shared into, nor is it offered.
    assert share(alice_client, conversation).status_code == 404
    assert "Let my listener" not in page(alice_client, "/safety-plan/")


def test_after_the_chat_ends_the_plan_page_no_longer_says_it_is_shared(
    alice_plan, alice_client, conversation, listener_lee
):
    share(alice_client, conversation)
    do_end_conversation(conversation, ended_by=listener_lee.user)
    shown = page(alice_client, "/safety-plan/")
    assert "Shared with listener_lee" not in shown
    assert "Your plan is not shared with anyone." in shown


# --- Printing ----------------------------------------------------------------------------------


def static_text(client, path: str) -> str:
    response = client.get(f"/static/{path}")
    assert response.status_code == 200, path
    return b"".join(response.streaming_content).decode()


def test_the_plan_can_be_printed_without_the_page_furniture(alice_plan, alice_client):
    shown = page(alice_client, "/safety-plan/")
    assert '<button type="button" class="button--quiet" data-print>Print</button>' in shown
    # The sharing controls and the edit links are marked to stay off paper...
    assert '<div class="no-print">' in shown
    assert '<p class="no-print"><a href="/safety-plan/step/' in shown
    # ...which the print style sheet hides, and the button prints.
    assert 'href="/static/haven/haven.css' in shown
    css = static_text(alice_client, "haven/haven.css")
    hiding = [
        block.split("}")[0]
        for block in css.split("@media print")[1:]
        if ".no-print" in block.split("}")[0]
    ]
    assert hiding and "display: none" in hiding[0]
    js = static_text(alice_client, "haven/haven.js")
    assert '"[data-print]"' in js and "window.print()" in js


# --- The JSON API ------------------------------------------------------------------------------


def test_the_api_lists_the_seven_steps_with_examples(alice_client):
    response = alice_client.get("/api/safety-plan")
    assert response.status_code == 200
    steps = response.json()["steps"]
    assert [step["key"] for step in steps] == list(STEP_KEYS)
    assert len(steps) == 7
    for step, expected in zip(steps, STEPS, strict=True):
        assert step["title"] == expected.title and step["question"] == expected.question
        assert step["examples"] == list(expected.examples) and len(step["examples"]) >= 3
        assert step["items"] == []


def test_the_api_saves_a_step_and_the_pages_show_it(alice, alice_client):
    response = alice_client.put(
        "/api/safety-plan/coping_strategies",
        {"items": ["  A walk  ", "A hot shower"]},
        content_type="application/json",
    )
    assert response.status_code == 200
    by_key = {step["key"]: step["items"] for step in response.json()["steps"]}
    assert by_key["coping_strategies"] == ["A walk", "A hot shower"]
    assert steps_of(alice) == {"coping_strategies": ["A walk", "A hot shower"]}
    assert "<li>A hot shower</li>" in page(alice_client, "/safety-plan/")
    again = alice_client.get("/api/safety-plan").json()["steps"][1]
    assert again["key"] == "coping_strategies" and again["items"] == ["A walk", "A hot shower"]


def test_the_api_refuses_an_unknown_step_with_a_clear_error(alice, alice_client):
    response = alice_client.put(
        "/api/safety-plan/favourite_snacks", {"items": ["crisps"]}, content_type="application/json"
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail.startswith("Please check your input.")
    assert "warning_signs" in detail and "reasons_for_living" in detail  # the allowed steps
    assert not SafetyPlan.objects.filter(member=alice).exclude(steps={}).exists()


def test_the_api_refuses_more_than_twelve_items_or_overlong_ones(alice, alice_client):
    url = "/api/safety-plan/distractions"
    too_many = alice_client.put(
        url, {"items": [f"place {n}" for n in range(13)]}, content_type="application/json"
    )
    assert too_many.status_code == 422
    assert "at most 12 items" in too_many.json()["detail"]
    too_long = alice_client.put(url, {"items": ["x" * 301]}, content_type="application/json")
    assert too_long.status_code == 422
    not_a_list = alice_client.put(url, {"items": "a walk"}, content_type="application/json")
    assert not_a_list.status_code == 422
    blank = alice_client.put(url, {"items": ["   "]}, content_type="application/json")
    assert blank.status_code == 422
    assert SafetyPlan.objects.filter(member=alice).first() is None
    ok = alice_client.put(url, {"items": ["x" * 300] * 12}, content_type="application/json")
    assert ok.status_code == 200
    assert steps_of(alice)["distractions"] == ["x" * 300] * 12
