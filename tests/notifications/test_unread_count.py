"""The unread badge on every page counts what the notifications page lists as unread: named
actors the member blocked are left out, anonymous acts and actor-less notices are not."""

from django.utils import timezone

from haven.accounts.models import MemberBlock
from haven.notifications.actions import unread_count, unread_notifications
from haven.notifications.models import Notification
from tests.conftest import client_for


def test_the_badge_counts_what_the_list_shows(alice, bob, carol):
    kinds = Notification.Kind
    Notification.objects.create(recipient=alice, kind=kinds.FOLLOW, actor=bob)
    Notification.objects.create(recipient=alice, kind=kinds.REACTION, actor=carol)
    Notification.objects.create(
        recipient=alice, kind=kinds.REPLY, actor=carol, actor_is_anonymous=True
    )
    Notification.objects.create(recipient=alice, kind=kinds.MODERATION, message="A note.")
    Notification.objects.create(
        recipient=alice, kind=kinds.FOLLOW, actor=bob, read_at=timezone.now()
    )
    Notification.objects.create(recipient=bob, kind=kinds.FOLLOW, actor=alice)
    assert unread_count(alice) == unread_notifications(alice).count() == 4

    # A block hides the blocked member's named acts, from before it too, but not an
    # anonymous one (that would tell who wrote it).
    MemberBlock.objects.create(blocker=alice, blocked=carol)
    assert unread_count(alice) == unread_notifications(alice).count() == 3
    MemberBlock.objects.create(blocker=bob, blocked=carol)  # someone else's block: no change
    assert unread_count(alice) == 3
    assert unread_count(bob) == 1

    page = client_for(alice).get("/help/").content.decode()
    assert "(3 unread)" in page
