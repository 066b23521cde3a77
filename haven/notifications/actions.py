"""Creating and reading in-app notifications. Rows are written in the caller's transaction; the
live push to open pages waits for the commit."""

from collections.abc import Callable

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from haven.accounts.models import MemberBlock, User
from haven.core.language import in_language_of
from haven.notifications.models import Notification
from haven.notifications.realtime import send_user_event_on_commit


def _push_unread_count(recipient_ids: set[int]) -> None:
    for recipient_id in recipient_ids:
        send_user_event_on_commit(recipient_id, {"event": "notification"})


def _not_blocking(recipient_ids: set[int], actor_id: int | None) -> set[int]:
    """Those of these members who did not block the actor: a block silences what the blocked
    member does under their name (callers pass no actor for anonymous acts, which a block
    never touches, or it would tell who wrote them)."""
    if actor_id is None or not recipient_ids:
        return set(recipient_ids)
    blockers = MemberBlock.objects.filter(blocked_id=actor_id, blocker_id__in=recipient_ids)
    return set(recipient_ids) - set(blockers.values_list("blocker_id", flat=True))


def _without_blocked_actors(queryset: QuerySet[Notification], user: User) -> QuerySet:
    """Notifications from before a block are hidden too (named actors only)."""
    blocked = MemberBlock.objects.filter(blocker_id=user.pk).values("blocked_id")
    return queryset.exclude(actor_is_anonymous=False, actor_id__in=blocked)


def do_notify_reply(post, recipients: set[int]) -> list[Notification]:
    """Tell these members (forums decides who: subscribers, the author answered) of a reply."""
    recipients = _not_blocking(recipients, None if post.is_anonymous else post.author_id)
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=recipient_id,
                kind=Notification.Kind.REPLY,
                actor_id=post.author_id,
                actor_is_anonymous=post.is_anonymous,
                thread_id=post.thread_id,
                post=post,
            )
            for recipient_id in sorted(recipients)
        ]
    )
    _push_unread_count(recipients)
    return notifications


def do_notify_reaction(reaction) -> Notification | None:
    post = reaction.post
    if post.author_id is None or post.author_id == reaction.user_id:
        return None
    if not _not_blocking({post.author_id}, reaction.user_id):
        return None
    notification, created = Notification.objects.get_or_create(
        recipient_id=post.author_id,
        kind=Notification.Kind.REACTION,
        actor_id=reaction.user_id,
        post=post,
        detail=reaction.kind,
        read_at=None,
        defaults={"thread_id": post.thread_id},
    )
    if created:
        _push_unread_count({post.author_id})
    return notification


def do_notify_update_reply(reply) -> Notification | None:
    """Tell an update's author of a reply under it (updates decides when: once it is visible)."""
    recipient_id = reply.update.author_id
    if recipient_id == reply.author_id or not _not_blocking({recipient_id}, reply.author_id):
        return None
    notification = Notification.objects.create(
        recipient_id=recipient_id,
        kind=Notification.Kind.UPDATE_REPLY,
        actor_id=reply.author_id,
        update=reply.update,
        detail=reply.public_id,
    )
    _push_unread_count({recipient_id})
    return notification


def do_notify_follow(follower: User, followed: User) -> Notification | None:
    if not _not_blocking({followed.pk}, follower.pk):
        return None
    notification = Notification.objects.create(
        recipient=followed, kind=Notification.Kind.FOLLOW, actor=follower
    )
    _push_unread_count({followed.pk})
    return notification


def filter_notifications_for(user: User) -> QuerySet[Notification]:
    return _without_blocked_actors(
        Notification.objects.filter(recipient=user), user
    ).select_related("actor", "thread__community", "post", "update")


def unread_count(user: User) -> int:
    """The badge on every page: what `unread_notifications(user).count()` counts, in SQL
    written once. Built by the ORM on each page it cost a fifth of the bare layout's time."""
    with connection.cursor() as cursor:
        cursor.execute(_UNREAD_COUNT_SQL, [user.pk, False, user.pk])
        return cursor.fetchone()[0]


def unread_notifications(user: User) -> QuerySet[Notification]:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    return _without_blocked_actors(unread, user)


# Named actors the member blocked are left out, as _without_blocked_actors does.
_UNREAD_COUNT_SQL = f"""
    SELECT COUNT(*) FROM {Notification._meta.db_table} AS n
    WHERE n.recipient_id = %s AND n.read_at IS NULL
      AND NOT (
        n.actor_is_anonymous = %s AND n.actor_id IS NOT NULL AND n.actor_id IN (
          SELECT b.blocked_id FROM {MemberBlock._meta.db_table} AS b WHERE b.blocker_id = %s
        )
      )
"""  # noqa: S608 (table names from the models; every value is a parameter)


@transaction.atomic
def do_mark_notifications_read(user: User, ids: list[int] | None = None) -> int:
    queryset = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    count = queryset.update(read_at=timezone.now())
    if count:
        _push_unread_count({user.pk})
    return count


def do_notify_moderation(
    recipient: User, message: str, *, detail: str = "", post=None, update=None
) -> Notification:
    """A moderator's decision, told to the member it concerns. The moderator stays unnamed."""
    notification = Notification.objects.create(
        recipient=recipient,
        kind=Notification.Kind.MODERATION,
        message=message[:600],
        detail=detail,
        post=post,
        thread_id=post.thread_id if post is not None else None,
        update=update,
    )
    _push_unread_count({recipient.pk})
    return notification


def do_notify_check_in(recipient_id: int, message: str, link: str) -> Notification:
    """A moderator's check-in to a member, or a member's answer to the moderators. The words
    never quote the private message; the link leads to it."""
    notification = Notification.objects.create(
        recipient_id=recipient_id, kind=Notification.Kind.MODERATION, message=message, link=link
    )
    _push_unread_count({recipient_id})
    return notification


def do_notify_chat_message(recipient_id: int, conversation) -> None:
    """New words in a chat its recipient has closed: one unread notice per chat at a time."""
    already = Notification.objects.filter(
        recipient_id=recipient_id,
        kind=Notification.Kind.CHAT,
        conversation=conversation,
        read_at__isnull=True,
    ).exists()
    if already:
        return
    Notification.objects.create(
        recipient_id=recipient_id,
        kind=Notification.Kind.CHAT,
        message=gettext_noop("You have new messages in a chat."),  # read in the reader's language
        conversation=conversation,
    )
    _push_unread_count({recipient_id})


def do_mark_chat_notifications_read(user: User, conversation) -> None:
    count = Notification.objects.filter(
        recipient=user, conversation=conversation, read_at__isnull=True
    ).update(read_at=timezone.now())
    if count:
        _push_unread_count({user.pk})


def do_notify_urgent(recipients: list[User], message: Callable[[], str], *, link: str = "") -> None:
    """Someone may be in crisis: a stored notification, and a live alert on every open page of
    each moderator alerted (the notifications socket), pointing at the item. ``message`` writes
    the words in the active language: each moderator gets them in theirs."""
    words: dict[int, str] = {}
    for recipient in recipients:
        with in_language_of(recipient):
            words[recipient.pk] = message()[:600]
    Notification.objects.bulk_create(
        [
            Notification(recipient=r, kind=Notification.Kind.URGENT, message=words[r.pk], link=link)
            for r in recipients
        ]
    )
    _push_unread_count({r.pk for r in recipients})
    for recipient in recipients:
        with in_language_of(recipient):
            alert = gettext("Urgent: %(message)s") % {"message": words[recipient.pk]}
        send_user_event_on_commit(recipient.pk, {"event": "urgent", "message": alert, "link": link})


def do_notify_reminder(recipient_id: int, message: str) -> Notification:
    notification = Notification.objects.create(
        recipient_id=recipient_id, kind=Notification.Kind.REMINDER, message=message
    )
    _push_unread_count({recipient_id})
    return notification


def do_notify_care(recipient_id: int, message: str, link: str) -> Notification:
    """A care notification: words that never quote a private message, and where to look."""
    notification = Notification.objects.create(
        recipient_id=recipient_id, kind=Notification.Kind.CARE, message=message[:600], link=link
    )
    _push_unread_count({recipient_id})
    return notification
