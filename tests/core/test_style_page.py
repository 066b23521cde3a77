"""The living style page: every component of the design system, for staff or while DEBUG."""

import pytest
from django.urls import reverse

from tests.conftest import client_for


def test_visitors_and_members_do_not_see_the_style_page(client, alice):
    assert client.get(reverse("core:style")).status_code == 404
    assert client_for(alice).get(reverse("core:style")).status_code == 404


def test_staff_see_every_component(alice):
    alice.is_staff = True
    alice.save(update_fields=["is_staff"])
    response = client_for(alice).get(reverse("core:style"))
    assert response.status_code == 200
    page = response.content.decode()
    for heading in ["Tokens", "Buttons", "Pills and badges", "Cards", "Alerts", "Forms",
                    "Tabs", "Drawers", "Avatars", "Empty states", "Shell"]:  # fmt: skip
        assert f">{heading}</h2>" in page
    # Each colour token the stylesheet defines is on the page, and the sample form shows its
    # error linked to the field.
    assert page.count('class="style-swatch"') == 12
    assert 'id="id_pseudonym_error"' in page
    assert "This field is required." in page


@pytest.mark.django_db
def test_while_debugging_anyone_may_see_it(client, settings):
    settings.DEBUG = True
    assert client.get(reverse("core:style")).status_code == 200
