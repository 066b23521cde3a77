"""Who may ask whom for a direct conversation, answer a request, write, block and report.

A conversation exists only for its two members: to anyone else, and to a member who blocked
the other, it is simply not found, whatever the way in (page, API, socket, report). A request's
recipient sees who asked, never the words, until they accept (`may_read_messages`). Whatever
stops a request on the recipient's side (their choice of who may write, a block either way) is
told with the same kind words, so nobody learns they were blocked.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haven.accounts.actors import Actor
from haven.accounts.blocks import has_blocked, is_blocked_between
from haven.accounts.gates import WriteRefused, check_can_write
from haven.accounts.models import MemberPreferences, TrustLevel, User
from haven.accounts.preferences import preferences_of
from haven.accounts.trust import check_capability, effective_level
from haven.direct_messages.models import DirectMessage, DirectThread
from haven.updates.models import Follow, FollowStatus

# Lazy: str() them when raising, so each member reads them in their own language.
NOT_TAKING_MESSAGES = gettext_lazy("They aren't taking messages right now.")
NEW_ACCOUNT = gettext_lazy(
    "Direct messages open up once you've been here a little while. Until then, replies in the "
    "communities and a listener (Talk) are there for you."
)
NOT_FOUND = "No such conversation."


# --- Seeing


def access_direct_thread_by_id(user: User, thread_id: int) -> DirectThread:
    """The conversation, for one of its two members: the same 404 for missing, not theirs, and
    one whose other member they blocked (blocking hides it from the one who blocked)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404(NOT_FOUND)
    thread = (
        DirectThread.objects.select_related("sender", "recipient")
        .filter(Q(sender=user) | Q(recipient=user), pk=thread_id)
        .first()
    )
    if thread is None or has_blocked(user, thread.other_id(user.pk)):
        raise Http404(NOT_FOUND)
    return thread


def may_read_messages(thread: DirectThread, user: User) -> bool:
    """The sender always reads what they wrote; the recipient only once they accepted."""
    return user.pk == thread.sender_id or thread.was_accepted


def access_direct_message_by_id(user: User, message_id: int) -> DirectMessage:
    """A message its reader may report: in a conversation of theirs they can read, written by
    the other member. Moderation's reports reach it through this (registered in wiring.py)."""
    message = DirectMessage.objects.select_related("thread").filter(pk=message_id).first()
    if message is None:
        raise Http404("No such message.")
    thread = access_direct_thread_by_id(user, message.thread_id)
    if not may_read_messages(thread, user) or message.sender_id == user.pk:
        raise Http404("No such message.")
    return message


def is_open(thread: DirectThread) -> bool:
    """Both may write: accepted, and no block between them (a block elsewhere counts too)."""
    return thread.status == DirectThread.Status.ACCEPTED and not is_blocked_between(
        thread.sender_id, thread.recipient_id
    )


# --- Asking


def is_new_account(user: User) -> bool:
    young = timezone.now() - user.date_joined < timedelta(days=settings.HAVEN_NEW_ACCOUNT_DAYS)
    return young or effective_level(user) == TrustLevel.NEW


def recipient_accepts_from(recipient: User, sender: User) -> bool:
    """The recipient's own choice of who may ask them (set on their preferences page or with
    PUT /api/me/preferences; no row means the defaults)."""
    preferences = preferences_of(recipient)
    choice = preferences.direct_messages_from
    if choice == MemberPreferences.DirectMessagesFrom.NOBODY:
        return False
    if choice == MemberPreferences.DirectMessagesFrom.FOLLOWING:
        return Follow.objects.filter(
            follower=recipient, followed=sender, status=FollowStatus.ACCEPTED
        ).exists()
    return effective_level(sender) >= preferences.direct_messages_min_level


def existing_thread(sender: User, recipient: User) -> DirectThread | None:
    """Their conversation, whichever of the two asked: a live one (waiting or accepted) before
    one that ended (there are at most two, one each way)."""
    threads = DirectThread.objects.filter(
        Q(sender=sender, recipient=recipient) | Q(sender=recipient, recipient=sender)
    )
    live = (DirectThread.Status.REQUESTED, DirectThread.Status.ACCEPTED)
    return min(threads, key=lambda t: (t.status not in live, -t.pk), default=None)


def check_request_direct_rules(user: User, recipient: User) -> None:
    """Everything but the write gate: for showing the button (and its kind reason) without
    counting anything. Raises PermissionDenied (WriteRefused for the member's own level)."""
    if user.pk == recipient.pk:
        raise PermissionDenied(_("This is you. Messages are for reaching other members."))
    if is_new_account(user):
        raise WriteRefused(str(NEW_ACCOUNT), code="new_account")
    check_capability(user, "direct_messages")
    if not recipient.is_active or is_blocked_between(user.pk, recipient.pk):
        raise PermissionDenied(str(NOT_TAKING_MESSAGES))
    thread = existing_thread(user, recipient)
    if thread is not None and thread.status in (
        DirectThread.Status.REQUESTED,
        DirectThread.Status.ACCEPTED,
    ):
        raise PermissionDenied(_("You already have a conversation with them."))
    if thread is not None and thread.sender_id == user.pk:
        # Declined or closed: asking again would press someone who said no.
        raise PermissionDenied(str(NOT_TAKING_MESSAGES))
    if not recipient_accepts_from(recipient, user):
        raise PermissionDenied(str(NOT_TAKING_MESSAGES))


def check_can_request_direct(actor: Actor, recipient: User) -> None:
    """May this member send `recipient` a request now? The write gate comes last: a refused
    request never costs a place in the rate limit."""
    check_request_direct_rules(actor.user, recipient)
    check_can_write(actor, "direct_request")


# --- In a conversation


def check_answer_request(actor: Actor, thread: DirectThread) -> None:
    """Accepting or declining: only the recipient, only while it waits."""
    if actor.user.pk != thread.recipient_id:
        raise PermissionDenied(_("Only the person asked can answer a request."))
    if thread.status != DirectThread.Status.REQUESTED:
        raise PermissionDenied(_("This request has already been answered."))
    check_can_write(actor, "direct")


def check_send_direct_message(actor: Actor, thread: DirectThread) -> None:
    if not is_open(thread):
        raise PermissionDenied(
            _("This conversation is waiting for an answer.")
            if thread.status == DirectThread.Status.REQUESTED
            else _("This conversation has closed.")
        )
    check_can_write(actor, "direct_message")


def check_block_in_thread(actor: Actor, thread: DirectThread) -> None:
    check_can_write(actor, "direct")


def request_refusal(actor: Actor, recipient: User) -> str | None:
    """Why the member may not ask now, in words for them, or None. For pages (a GET): the
    write gate is read without counting anything."""
    try:
        check_can_request_direct(actor, recipient)
    except PermissionDenied as refused:
        return str(refused)
    return None
