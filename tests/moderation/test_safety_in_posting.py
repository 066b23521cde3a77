"""What happens when members write: crisis help at once, held toxic words, labelled health
claims, refused contact details. Through pages and the API."""

from haven.accounts.models import Role
from haven.forums.models import Post, Thread
from haven.moderation.actions import do_set_on_duty
from haven.moderation.models import AuditEntry, QueueItem, QueueKind
from haven.notifications.models import Notification
from haven.safety.resources import load_crisis_resources
from haven.updates.models import Update
from tests.conftest import client_for, make_member
from tests.moderation.conftest import CRISIS, MISINFORMATION, PHONE, TOXIC


def test_a_crisis_post_is_published_shows_support_and_alerts_moderators_on_duty(
    thread, bob, bob_client, moderator_kim, guidelines
):
    load_crisis_resources()
    bob.country = "GB"
    bob.save()
    other_moderator = make_member("moderator_off", guidelines, role=Role.MODERATOR)
    do_set_on_duty(moderator_kim, True)
    response = bob_client.post(
        f"/c/anxiety/t/{thread.public_id}/reply/", {"body": CRISIS}, follow=True
    )
    page = response.content.decode()
    assert "You don't have to face this alone" in page
    assert "Samaritans" in page and 'href="tel:116123"' in page  # lines for Bob's country
    assert 'class="support-panel card" role="alert"' in page
    assert "Talk to someone now" in page and "Find a professional" in page
    post = Post.objects.get(body=CRISIS)
    assert post.is_visible and "crisis" in post.safety_labels
    item = QueueItem.objects.get(post=post)
    assert item.kind == QueueKind.URGENT and "crisis" in item.labels
    alerted = Notification.objects.filter(kind="urgent").values_list(
        "recipient__pseudonym", flat=True
    )
    assert list(alerted) == ["moderator_kim"]  # on duty; the off-duty moderator is not woken
    assert not Notification.objects.filter(recipient=other_moderator).exists()
    # The panel shows once, right after posting.
    assert "support-panel" not in bob_client.get(thread.get_absolute_url()).content.decode()
    # Other members see the post, without any crisis mark.
    other = client_for(thread.first_post.author).get(thread.get_absolute_url()).content.decode()
    assert "saving my pills" in other and "support-panel" not in other


def test_the_crisis_label_stays_private_and_the_api_carries_the_support_panel(thread, bob_client):
    response = bob_client.post(
        f"/api/threads/{thread.public_id}/replies",
        {"body": CRISIS},
        content_type="application/json",
    )
    assert response.status_code == 201
    support = response.json()["support"]
    assert support["moderators_told"] is True
    assert support["message"].startswith("What you wrote sounds really hard")
    listed = (
        client_for(thread.first_post.author).get(f"/api/threads/{thread.public_id}/replies").json()
    )
    assert "crisis" not in str(listed["items"][0])


def test_when_nobody_is_on_duty_every_site_moderator_is_alerted(thread, bob_client, moderator_kim):
    bob_client.post(f"/c/anxiety/t/{thread.public_id}/reply/", {"body": CRISIS})
    assert Notification.objects.filter(kind="urgent", recipient=moderator_kim).exists()


def test_a_toxic_reply_first_gets_a_nudge_then_is_held_for_review(thread, bob_client, alice_client):
    response = bob_client.post(f"/c/anxiety/t/{thread.public_id}/reply/", {"body": TOXIC})
    assert response.status_code == 422
    page = response.content.decode()
    assert "This may hurt someone" in page
    assert "Send for review as it is" in page
    assert TOXIC.replace("'", "&#x27;") in page  # nothing lost
    assert not Post.objects.filter(body=TOXIC).exists()
    response = bob_client.post(
        f"/c/anxiety/t/{thread.public_id}/reply/",
        {"body": TOXIC, "send_for_review": "1"},
        follow=True,
    )
    assert "A moderator will look at it soon" in response.content.decode()
    post = Post.objects.get(body=TOXIC)
    assert post.moderation_state == "held"
    assert QueueItem.objects.get(post=post).kind == QueueKind.FLAGGED
    # The writer sees it waiting; nobody else sees it, and the thread still needs support.
    assert (
        "Only you can see this for now"
        in bob_client.get(thread.get_absolute_url()).content.decode()
    )
    assert "pathetic" not in alice_client.get(thread.get_absolute_url()).content.decode()
    thread.refresh_from_db()
    assert thread.reply_count == 0
    assert not Notification.objects.filter(kind="reply").exists()


def test_the_api_offers_the_same_choice_for_hurtful_words(thread, bob_client):
    first = bob_client.post(
        f"/api/threads/{thread.public_id}/replies", {"body": TOXIC}, content_type="application/json"
    )
    assert first.status_code == 422 and first.json()["code"] == "may_hurt"
    second = bob_client.post(
        f"/api/threads/{thread.public_id}/replies",
        {"body": TOXIC, "send_for_review": True},
        content_type="application/json",
    )
    assert second.status_code == 201 and second.json()["moderation_state"] == "held"


def test_a_phone_number_is_refused_with_exactly_what_was_found(thread, bob_client):
    response = bob_client.post(f"/c/anxiety/t/{thread.public_id}/reply/", {"body": PHONE})
    assert response.status_code == 422
    page = response.content.decode()
    assert "To protect your anonymity" in page and "a phone number (555-123-4567)" in page
    assert "text me on 555-123-4567" in page  # kept in the form to edit
    api = bob_client.post(
        f"/api/threads/{thread.public_id}/replies", {"body": PHONE}, content_type="application/json"
    )
    assert api.status_code == 422
    assert api.json()["code"] == "personal_data"
    assert api.json()["findings"] == [{"kind": "phone", "text": "555-123-4567"}]
    assert not Post.objects.filter(depth__gt=0).exists()
    assert not QueueItem.objects.exists()


def test_personal_data_is_refused_in_threads_updates_and_profiles(alice_client, members_of_anxiety):
    thread = alice_client.post(
        "/c/anxiety/new/", {"title": "hello", "body": "mail me: me@example.org"}
    )
    assert thread.status_code == 422 and Thread.objects.count() == 0
    update = alice_client.post(
        "/updates/", {"body": "my insta is @sunny.days", "visibility": "public"}
    )
    assert update.status_code == 400 and "a social-media account" in update.content.decode()
    assert Update.objects.count() == 0
    profile = alice_client.post("/accounts/profile/", {"bio": "I'm Sarah Jenkins from Leeds"})
    assert "a full name" in profile.content.decode()


def test_misinformation_is_published_with_a_label_and_queued(thread, bob_client, alice_client):
    response = bob_client.post(
        f"/api/threads/{thread.public_id}/replies",
        {"body": MISINFORMATION},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["health_warning"] is True
    post = Post.objects.get(body=MISINFORMATION)
    assert post.is_visible
    page = alice_client.get(thread.get_absolute_url()).content.decode()
    assert "Check before you act on this" in page
    assert 'href="/help/#medicines"' in page
    assert QueueItem.objects.get(post=post).kind == QueueKind.FLAGGED
    assert AuditEntry.objects.filter(action="auto_flag", target_id=post.pk).exists()


def test_a_private_update_in_crisis_brings_only_the_private_support_panel(alice_client):
    response = alice_client.post(
        "/updates/", {"body": CRISIS, "visibility": "private"}, follow=True
    )
    page = response.content.decode()
    assert "support-panel" in page
    assert "Our moderators have been told" not in page
    assert not QueueItem.objects.exists()
    assert not Notification.objects.filter(kind="urgent").exists()


def test_ordinary_words_pass_untouched(thread, bob_client):
    response = bob_client.post(
        f"/api/threads/{thread.public_id}/replies",
        {"body": "That sounds so tiring. I'm glad you posted, this exam week is killing me too."},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["support"] is None and response.json()["moderation_state"] == "visible"
    assert not QueueItem.objects.exists()


def test_editing_a_reply_into_hurtful_words_holds_it_again(thread, bob, bob_client, alice_client):
    from haven.forums.actions import do_create_reply

    reply = do_create_reply(thread, body="Hang in there.", acting_user=bob)
    thread.refresh_from_db()
    assert thread.reply_count == 1
    nudged = bob_client.post(f"/posts/{reply.public_id}/edit/", {"body": TOXIC})
    assert nudged.status_code == 422 and "This may hurt someone" in nudged.content.decode()
    bob_client.post(f"/posts/{reply.public_id}/edit/", {"body": TOXIC, "send_for_review": "1"})
    reply.refresh_from_db()
    thread.refresh_from_db()
    assert reply.moderation_state == "held" and thread.reply_count == 0
    assert "pathetic" not in alice_client.get(thread.get_absolute_url()).content.decode()


def test_profiles_refuse_hurtful_words_and_contact_details_through_the_api(alice_client):
    hurtful = alice_client.patch("/api/me", {"bio": TOXIC}, content_type="application/json")
    assert hurtful.status_code == 422 and "can't go on your profile" in hurtful.json()["detail"]
    contact = alice_client.patch(
        "/api/me", {"bio": "find me on insta @sunny.days"}, content_type="application/json"
    )
    assert contact.status_code == 422 and contact.json()["code"] == "personal_data"
    assert alice_client.get("/api/me").json()["bio"] == ""


def test_sleep_and_work_strain_are_not_crisis_but_get_the_gentle_support_links(
    thread, bob_client, moderator_kim
):
    """Issue 14: tiredness and stress alone raise no alarm; the writer still gets a few
    things that may help, and a way to talk to someone."""
    do_set_on_duty(moderator_kim, True)
    body = "Can't sleep and my thoughts won't stop. So tired of everything at work lately."
    response = bob_client.post(
        f"/c/anxiety/t/{thread.public_id}/reply/", {"body": body}, follow=True
    )
    page = response.content.decode()
    post = Post.objects.get(body=body)
    assert "crisis" not in post.safety_labels
    assert not QueueItem.objects.filter(post=post).exists()
    assert not Notification.objects.filter(kind="urgent").exists()
    assert "support-panel" not in page
    assert "That sounds like a lot to carry" in page
    assert "More coping strategies and guides" in page and "Talk to someone now" in page
    # Shown once, right after posting; an ordinary reply brings nothing.
    assert "gentle-support" not in bob_client.get(thread.get_absolute_url()).content.decode()
    response = bob_client.post(
        f"/c/anxiety/t/{thread.public_id}/reply/",
        {"body": "Thank you all, this helped."},
        follow=True,
    )
    assert "gentle-support" not in response.content.decode()
