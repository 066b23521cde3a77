"""Haven writes to each member in their language, also when someone else is acting: the
language they signed up in is kept, an app's token request speaks it, and what moderators send
them (a sanction, a removal, a check-in, the crisis lines) is written in it, not the
moderator's."""

import pytest
from django.test import Client

from haven.accounts.models import Role, User
from haven.forums.actions import do_create_reply, do_create_thread
from haven.moderation.actions import do_remove, do_sanction
from haven.moderation.models import QueueItem, Sanction
from haven.notifications.models import Notification
from haven.safety.resources import load_crisis_resources
from tests.conftest import client_for, make_member, token_client_for

pytestmark = pytest.mark.django_db

SIGNUP = {
    "pseudonym": "MarRuido",
    "password": "una-contraseña-larga-y-tranquila-42",
    "accept_guidelines": "on",
}
CRISIS_EN = "I can't do this anymore. I've been saving my pills and tonight I want to end my life."
CRISIS_ES = "Ya no puedo más. He guardado las pastillas y esta noche quiero quitarme la vida."


def test_the_language_someone_signs_up_in_is_kept_as_theirs(client, guidelines):
    client.post("/accounts/signup/", SIGNUP, headers={"accept-language": "es-MX,es;q=0.9"})
    assert User.objects.get(pseudonym="MarRuido").language == "es"
    other = {**SIGNUP, "pseudonym": "QuietFern"}
    Client().post("/accounts/signup/", other, headers={"accept-language": "fr"})
    assert User.objects.get(pseudonym="QuietFern").language == "en"


def test_an_apps_token_request_speaks_the_members_language(members_of_anxiety, alice, bob):
    load_crisis_resources()
    bob.language, bob.country = "es", "ES"
    bob.save(update_fields=["language", "country"])
    thread = do_create_thread(
        members_of_anxiety, title="Una semana dura", body="Ha sido larga.", acting_user=alice
    )
    app = token_client_for(bob)  # no session, no cookie, no Accept-Language
    response = app.post(
        f"/api/threads/{thread.public_id}/replies",
        {"body": CRISIS_ES},
        content_type="application/json",
    )
    assert response.status_code == 201 and response["Content-Language"] == "es"
    support = response.json()["support"]
    assert support["message"].startswith("Lo que escribiste suena muy duro.")
    assert "024" in [line["phone"] for line in support["resources"]]
    assert support["resources"][0]["country_name"] == "España"


def test_a_sanction_and_a_removal_reach_a_spanish_speaking_member_in_spanish(
    members_of_anxiety, alice, bob, moderator_kim
):
    bob.language = "es"
    bob.save(update_fields=["language"])
    # The moderator acts with Haven in English.
    do_sanction(bob, Sanction.Kind.WARN, reason="Sé amable.", moderator=moderator_kim)
    warning = Notification.objects.filter(recipient=bob).latest("id")
    assert warning.message == "Alguien del equipo de moderación te envió un aviso: Sé amable."

    thread = do_create_thread(
        members_of_anxiety, title="Una semana dura", body="Ha sido larga.", acting_user=alice
    )
    reply = do_create_reply(thread, body="Un comentario.", acting_user=bob)
    item = QueueItem.objects.create(kind="reported", post=reply, community=members_of_anxiety)
    do_remove(item, moderator=moderator_kim, reason="Datos personales.")
    removal = Notification.objects.filter(recipient=bob).latest("id")
    assert removal.message.startswith("Alguien del equipo de moderación quitó tu publicación.")
    assert "puedes apelar" in removal.message and removal.detail == "removed"

    # An English-speaking member still reads English.
    do_sanction(alice, Sanction.Kind.WARN, reason="Be kind.", moderator=moderator_kim)
    assert Notification.objects.filter(recipient=alice).latest("id").message == (
        "A moderator sent you a warning: Be kind."
    )


def test_a_moderators_one_click_crisis_lines_are_in_the_members_language(
    members_of_anxiety, alice, bob, moderator_kim
):
    load_crisis_resources()
    bob.language, bob.country = "es", "MX"
    bob.save(update_fields=["language", "country"])
    thread = do_create_thread(
        members_of_anxiety, title="Una semana dura", body="Ha sido larga.", acting_user=alice
    )
    reply = do_create_reply(thread, body=CRISIS_ES, acting_user=bob)
    item = QueueItem.objects.get(post=reply, kind="urgent")
    kim = client_for(moderator_kim)
    kim.post(f"/moderation/items/{item.pk}/crisis-lines/", headers={"accept-language": "en"})
    body = item.check_ins.get().messages.get().body
    assert body.startswith("Estamos pensando en ti.")
    assert "Línea de la Vida: llama al 800 911 2000" in body
    assert "peligro inmediato" in body and "call" not in body
    told = Notification.objects.filter(recipient=bob).latest("id")
    assert told.message == (
        "Alguien del equipo de moderación de Haven te envió contactos con quienes puedes "
        "hablar ahora mismo."
    )


def test_each_moderator_is_alerted_to_a_crisis_in_their_own_language(
    members_of_anxiety, alice, bob, moderator_kim, guidelines
):
    moderator_marta = make_member("moderator_marta", guidelines, role=Role.MODERATOR)
    moderator_marta.language = "es"
    moderator_marta.save(update_fields=["language"])
    thread = do_create_thread(
        members_of_anxiety, title="Rough week", body="It has been long.", acting_user=alice
    )
    do_create_reply(thread, body=CRISIS_EN, acting_user=bob)
    english = Notification.objects.get(recipient=moderator_kim, kind="urgent")
    spanish = Notification.objects.get(recipient=moderator_marta, kind="urgent")
    assert english.message == "someone may be in crisis in Anxiety. Please look now."
    assert spanish.message == "alguien puede estar en crisis en Anxiety. Míralo ahora, por favor."
    page = client_for(moderator_marta).get("/notifications/").content.decode()
    assert "Urgente: alguien puede estar en crisis en Anxiety." in page
