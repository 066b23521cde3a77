"""The member's sections appear in the phone's menu sheet and the desktop sidebar: the same
list, drawn once a page (haven.core.templatetags.haven.member_nav), with the live unread count
and the moderator's link where they belong."""

import re

import pytest

from haven.notifications.models import Notification
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def nav_lists(html: str) -> tuple[str, str]:
    sheet = re.search(r'<nav class="menu-sheet__panel" aria-label="Menu">(.*?)</nav>', html, re.S)
    sidebar = re.search(r'<nav class="sidebar" aria-label="Main">\s*(<ul>.*?</ul>)', html, re.S)
    return sheet.group(1).strip(), sidebar.group(1).strip()


def test_both_places_show_the_same_sections(alice, bob, moderator_kim):
    Notification.objects.create(recipient=alice, kind=Notification.Kind.REPLY, actor=bob)
    sheet, sidebar = nav_lists(client_for(alice).get("/help/").content.decode())
    assert sheet == sidebar
    assert "data-unread-count >1</span>" in sheet and f"/members/{alice.pseudonym}/" in sheet
    assert "Moderation" not in sheet
    sheet, sidebar = nav_lists(client_for(moderator_kim).get("/help/").content.decode())
    assert sheet == sidebar and "Moderation" in sheet and "/moderation/" in sheet
