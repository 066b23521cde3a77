"""Every change in direct messages. Pages, the API and the socket all call these; they trust
their caller's checks (permissions.py).

Each message is screened (haven.safety.screening) before it is stored: personal data is
refused, words that may hurt wait for a moderator, and crisis words are stored as written, put
in the moderators' urgent queue, and answered with the support panel for the writer only (the
caller shows it). The other member never sees a label.
"""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from haven.accounts.blocks import do_block_member
from haven.accounts.models import User
from haven.communities.rules import WatchedWordsRefused, apply_watched_words, verdict_with_rules
from haven.core.content import ModerationState
from haven.core.metrics import count_message
from haven.direct_messages import events, notify, presence
from haven.direct_messages.models import DirectMessage, DirectThread
from haven.moderation.actions import do_file_direct_message, do_report_direct_message
from haven.safety.pipeline import Verdict
from haven.safety.screening import screen_member_text

SURFACE = "direct_message"


class AlreadyAsked(Exception):
    """A request between these two exists already (two sends at once): nothing was stored."""


def _screen(body: str, author: User, send_for_review: bool) -> tuple[str, Verdict]:
    """The safety screening, then the site-wide watched words (a direct message belongs to no
    community): the text to store (words hidden or linked) and the verdict with the rules'
    labels, which may hold it or queue it as flagged."""
    verdict = screen_member_text(
        body, surface=SURFACE, author=author, send_for_review=send_for_review
    )
    outcome = apply_watched_words(body, community=None, surface=SURFACE)
    if outcome.refused:
        raise WatchedWordsRefused(outcome.refused)
    return outcome.text, verdict_with_rules(verdict, outcome)


def _store(thread: DirectThread, sender: User, body: str, client_id: str, verdict: Verdict):
    message = DirectMessage.objects.create(
        thread=thread,
        sender=sender,
        client_id=client_id,
        body=body,
        moderation_state=(
            ModerationState.HELD if verdict.decision.hold else ModerationState.VISIBLE
        ),
        safety_labels=sorted(verdict.labels - {"personal_data"}),
    )
    do_file_direct_message(message, verdict)
    transaction.on_commit(lambda: count_message("direct"))
    return message


@transaction.atomic
def do_request_direct(
    sender: User, recipient: User, *, body: str, client_id: str, send_for_review: bool = False
) -> tuple[DirectThread, DirectMessage]:
    """A request with its first message. The recipient is told who asked, never the words."""
    body, verdict = _screen(body, sender, send_for_review)
    try:
        with transaction.atomic():
            thread = DirectThread.objects.create(sender=sender, recipient=recipient)
    except IntegrityError:
        raise AlreadyAsked from None
    message = _store(thread, sender, body, client_id, verdict)
    notify.notify_direct(recipient.pk, sender, thread.pk, notify.REQUEST)
    return thread, message


def find_request_retry(sender: User, recipient: User, client_id: str) -> DirectThread | None:
    """The request this sender already made with this client_id (a retry), if any."""
    return DirectThread.objects.filter(
        sender=sender, recipient=recipient, messages__client_id=client_id
    ).first()


@transaction.atomic
def do_accept_request(thread: DirectThread) -> bool:
    """Both may write from now on; the sender is told. False if it was answered meanwhile."""
    now = timezone.now()
    accepted = DirectThread.objects.filter(
        pk=thread.pk, status=DirectThread.Status.REQUESTED
    ).update(status=DirectThread.Status.ACCEPTED, answered_at=now)
    if accepted:
        thread.status, thread.answered_at = DirectThread.Status.ACCEPTED, now
        notify.notify_direct(thread.sender_id, thread.recipient, thread.pk, notify.ACCEPTED)
        events.send_thread_event_on_commit(thread.pk, {"type": "direct.accepted"})
    return bool(accepted)


@transaction.atomic
def do_decline_request(thread: DirectThread) -> bool:
    """Quietly: the sender is not told; their list says "not accepted", nothing more."""
    now = timezone.now()
    declined = DirectThread.objects.filter(
        pk=thread.pk, status=DirectThread.Status.REQUESTED
    ).update(status=DirectThread.Status.DECLINED, answered_at=now)
    if declined:
        thread.status, thread.answered_at = DirectThread.Status.DECLINED, now
        notify.mark_thread_notifications_read(thread.recipient, thread.pk)
    return bool(declined)


def message_fields(message: DirectMessage) -> dict:
    """A message as the server passes it around (socket history, acks, group events);
    `sender_id` stays on the server: sockets turn it into `mine` for each member."""
    return {
        "id": message.pk,
        "client_id": message.client_id,
        "sender_id": message.sender_id,
        "body": message.body,
        "created_at": message.created_at.isoformat(),
        "held": message.moderation_state == ModerationState.HELD,
    }


def _announce(thread: DirectThread, message: DirectMessage) -> None:
    events.send_thread_event_on_commit(
        thread.pk, {"type": "direct.message", **message_fields(message)}
    )


@transaction.atomic
def do_send_direct_message(
    thread: DirectThread,
    *,
    sender: User,
    body: str,
    client_id: str,
    send_for_review: bool = False,
) -> tuple[DirectMessage, bool]:
    """Stored before anyone is told. A retry with the same client_id returns the stored message
    and (message, False): nothing is stored twice; it is pushed again (clients ignore an id
    they already show), since the first push may be what failed."""
    body, verdict = _screen(body, sender, send_for_review)
    try:
        with transaction.atomic():
            message = _store(thread, sender, body, client_id, verdict)
    except IntegrityError:
        message = DirectMessage.objects.get(thread=thread, sender=sender, client_id=client_id)
        if message.moderation_state == ModerationState.VISIBLE:
            _announce(thread, message)
        return message, False
    DirectThread.objects.filter(pk=thread.pk).update(last_message_at=message.created_at)
    if message.moderation_state == ModerationState.VISIBLE:
        _announce(thread, message)
        other_id = thread.other_id(sender.pk)
        if not presence.is_present(thread.pk, other_id):
            notify.notify_direct(other_id, sender, thread.pk, notify.MESSAGE)
    return message, True


def do_set_direct_message_moderation_state(
    message: DirectMessage, state: str, reason: str = ""
) -> None:
    """A moderator's decision (registered with haven.core.content in wiring.py): a held message
    released reaches the other member, live; a removed one disappears from their side."""
    was_visible = message.moderation_state == ModerationState.VISIBLE
    message.moderation_state = state
    message.save(update_fields=["moderation_state"])
    if state == ModerationState.VISIBLE and not was_visible:
        _announce(message.thread, message)
        notify.notify_direct(
            message.thread.other_id(message.sender_id), message.sender, message.thread_id,
            notify.MESSAGE,
        )  # fmt: skip


def do_mark_read(thread: DirectThread, reader: User, up_to: int | None = None) -> int:
    """The other member's messages, up to this id (all when None), are read."""
    unread = DirectMessage.objects.filter(thread=thread, read_at__isnull=True).exclude(
        sender=reader
    )
    if up_to is not None:
        unread = unread.filter(pk__lte=up_to)
    count = unread.update(read_at=timezone.now())
    notify.mark_thread_notifications_read(reader, thread.pk)
    return count


def _close(thread: DirectThread) -> bool:
    closed = DirectThread.objects.filter(
        pk=thread.pk, status__in=[DirectThread.Status.REQUESTED, DirectThread.Status.ACCEPTED]
    ).update(status=DirectThread.Status.CLOSED)
    if closed:
        thread.status = DirectThread.Status.CLOSED
        events.send_thread_event_on_commit(thread.pk, {"type": "direct.closed"})
    return bool(closed)


@transaction.atomic
def do_block_in_thread(thread: DirectThread, *, blocker: User) -> None:
    """Blocks the other member and closes the conversation. The other side sees only that it
    closed; the blocker no longer sees it at all."""
    other = thread.other_of(blocker)
    do_block_member(blocker, other)
    _close(thread)
    notify.mark_thread_notifications_read(blocker, thread.pk)


def do_report_message(reporter: User, message: DirectMessage, *, reason: str, details: str = ""):
    """Moderators may then read that one message from their queue."""
    return do_report_direct_message(reporter, message, reason=reason, details=details)


@transaction.atomic
def do_close_direct_threads_of(user: User, erase_content: bool) -> None:
    """For a member who is leaving: their conversations close (open sockets are told). The
    rows go with the account (both foreign keys cascade); with erase_content the words go
    first, so nothing lingers in between."""
    for thread in DirectThread.objects.filter(Q(sender=user) | Q(recipient=user)):
        _close(thread)
    if erase_content:
        DirectMessage.objects.filter(sender=user).update(body="", safety_labels=[])
