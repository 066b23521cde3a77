"""Haven in Spanish, in real browsers on the production set-up (two server processes sharing
Redis): a visitor whose browser asks for Spanish gets Spanish pages, switches language while
signed out, signs up, posts words of crisis in Spanish and gets the Spanish support panel with
the Spanish-language lines of their country (a Mexican community: HAVEN_DEFAULT_COUNTRY=MX), then
asks for a listener and is matched with the one who speaks Spanish, not the one who does not."""

import json
import os
import re

import pytest
from playwright.sync_api import expect

from tests.support.devservers import asgi_servers, haven, separate_database, server_environment

pytestmark = pytest.mark.browser
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/2"
PASSWORD = "linterna-tranquila-sobre-la-bahia-7"

SEED = """
import json
from haven.accounts.actions import do_create_user, do_publish_guidelines, do_set_language
from haven.chat.models import ListenerProfile
from haven.communities.actions import do_save_community
from haven.safety.resources import load_crisis_resources
from tests.support.devservers import signed_in_session
load_crisis_resources()
g = do_publish_guidelines("Sé amable.")
do_save_community(slug="ansiedad", name="Ansiedad", description="Para la preocupación.",
                  rules="- Con cariño")
sessions = {}
for name, languages in (("english_ed", ["en"]), ("oyente_olga", ["es"])):
    user = do_create_user(name, None, guidelines_version=g.version, role="listener")
    do_set_language(user, languages[0])
    ListenerProfile.objects.create(
        user=user, status="listener", is_online=True, max_chats=1, languages=languages
    )
    sessions[name] = signed_in_session(user)
print(json.dumps(sessions))
"""

CRISIS_WORDS = "Ya tengo las pastillas guardadas. Esta noche quiero acabar con todo."


@pytest.fixture(scope="module")
def servers():
    from django.conf import settings

    with separate_database() as (database_url, data_dir):
        env = server_environment(database_url, REDIS_URL, data_dir)
        env["HAVEN_MODEL_DIR"] = str(settings.MODEL_DIR)
        env["HAVEN_SAFETY_EMBEDDINGS"] = "off"
        env["HAVEN_DEFAULT_COUNTRY"] = "MX"
        haven(["migrate", "--noinput", "-v0"], env)
        sessions = json.loads(haven(["shell", "-c", SEED], env).stdout.strip().splitlines()[-1])
        with asgi_servers(2, env) as ports:
            yield sessions, ports


def listener_page(browser, port: int, session: str):
    context = browser.new_context(base_url=f"http://127.0.0.1:{port}")
    context.add_cookies(
        [{"name": "sessionid", "value": session, "domain": "127.0.0.1", "path": "/"}]
    )
    context.set_default_timeout(15_000)
    return context, context.new_page()


def test_a_spanish_speaker_from_first_visit_to_a_spanish_speaking_listener(browser, servers, shot):
    sessions, (port_a, port_b) = servers
    visitor_context = browser.new_context(base_url=f"http://127.0.0.1:{port_a}", locale="es-MX")
    visitor_context.set_default_timeout(15_000)
    olga_context, olga = listener_page(browser, port_b, sessions["oyente_olga"])
    ed_context, ed = listener_page(browser, port_b, sessions["english_ed"])
    try:
        luz = visitor_context.new_page()
        # The first visit follows the browser: Spanish, with the way to help first.
        luz.goto("/")
        expect(luz.locator("html")).to_have_attribute("lang", "es")
        expect(luz.get_by_role("link", name="Consigue ayuda ahora")).to_be_visible()

        # The switch works signed out, and the choice stays on this device.
        luz.get_by_label("Idioma").select_option("en")
        luz.get_by_role("button", name="Cambiar").click()
        expect(luz.locator("html")).to_have_attribute("lang", "en")
        expect(luz.get_by_role("link", name="Get help now")).to_be_visible()
        luz.goto("/help/")
        expect(luz.get_by_role("heading", level=1, name="Get help now")).to_be_visible()
        luz.get_by_label("Language").select_option("es")
        luz.get_by_role("button", name="Change").click()
        expect(luz.locator("html")).to_have_attribute("lang", "es")
        expect(luz.get_by_role("heading", level=1, name="Consigue ayuda ahora")).to_be_visible()
        # The help page lists Mexico's lines in Spanish.
        expect(luz.get_by_text("Línea nacional gratuita para crisis emocionales")).to_be_visible()

        # Sign up, in Spanish.
        luz.goto("/accounts/signup/")
        expect(luz.get_by_role("heading", level=1, name="Únete a Haven")).to_be_visible()
        luz.locator("#id_pseudonym").fill("luz_del_sur")
        luz.locator("#id_password").fill(PASSWORD)
        luz.get_by_label("He leído y acepto las normas de la comunidad").check()
        luz.get_by_role("button", name="Crear mi cuenta").click()
        expect(luz).to_have_url(re.compile(r"/communities/$"))
        expect(luz.get_by_text("Te damos la bienvenida, luz_del_sur.")).to_be_visible()

        # A thread with words of crisis: the support panel at once, in Spanish, with the
        # Spanish-language lines of Mexico.
        luz.goto("/c/ansiedad/")
        luz.get_by_role("button", name="Únete a Ansiedad").click()
        luz.get_by_role("link", name="Empezar una conversación").click()
        luz.locator("#id_title").fill("No puedo más")
        luz.locator("#id_body").fill(CRISIS_WORDS)
        luz.get_by_role("button", name="Publicar conversación").click()
        panel = luz.locator("#support-panel")
        expect(
            panel.get_by_role("heading", name="No tienes que enfrentar esto a solas")
        ).to_be_visible()
        expect(panel).to_contain_text("Línea de la Vida")
        expect(panel.get_by_role("link", name="800 911 2000")).to_have_attribute(
            "href", "tel:8009112000"
        )
        shot(luz, "support-panel-es")

        # Talk to someone: the request is in Spanish, and only the Spanish-speaking listener
        # is offered it.
        olga.goto("/listen/dashboard/")
        ed.goto("/listen/dashboard/")
        luz.get_by_role("link", name="Habla con alguien ahora").first.click()
        expect(luz.locator("#id_language")).to_have_value("es")
        luz.get_by_role("button", name="Buscarme un oyente").click()
        offer = olga.locator("[data-chat-offer]")
        expect(offer).to_be_visible()
        expect(offer).to_contain_text("Alguien quiere hablar")
        offer.get_by_role("button", name="Aceptar").click()
        expect(olga).to_have_url(re.compile(r"/chat/\d+/$"))
        expect(luz).to_have_url(re.compile(r"/chat/\d+/$"))
        expect(ed.locator("[data-chat-offer]")).to_have_count(0)

        luz.get_by_label("Tu mensaje").fill("Hola. Gracias por estar aquí.")
        luz.get_by_role("button", name="Enviar", exact=True).click()
        expect(olga.locator("[data-log]")).to_contain_text("Gracias por estar aquí.")
        olga.get_by_label("Tu mensaje").fill("Aquí estoy. Cuéntame, sin prisa.")
        olga.get_by_role("button", name="Enviar", exact=True).click()
        expect(luz.locator("[data-log]")).to_contain_text("Cuéntame, sin prisa.")
        shot(luz, "chat-es")
    finally:
        for context in (visitor_context, olga_context, ed_context):
            context.close()
