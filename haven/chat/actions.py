"""Every change in live chat. Pages, the API and the WebSocket consumers all call these."""

import math
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from haven.accounts.actions import do_change_user_role
from haven.accounts.models import MemberBlock, Role, User
from haven.chat import events, presence
from haven.chat.models import (
    ChatFeedback,
    ChatMessage,
    ChatRequest,
    Conversation,
    ListenerProfile,
    QuizAttempt,
)
from haven.chat.queue import best_listener_for, estimated_wait_minutes, queue_position
from haven.chat.training import grade_quiz, lessons
from haven.core.content import ModerationState
from haven.core.metrics import count_message
from haven.core.realtime import send_event_on_commit
from haven.core.search_index import (
    Namespace,
    forget,
    request_embedding,
    request_resource_suggestions,
)
from haven.moderation.actions import do_report_conversation, record_audit
from haven.moderation.models import QueueItem
from haven.moderation.outreach import record_first_contact
from haven.notifications.actions import do_notify_chat_message
from haven.notifications.presence import present_user_ids
from haven.notifications.realtime import send_user_event_on_commit
from haven.safety.screening import screen_member_text

# --- Becoming a listener


def do_start_training(user: User) -> ListenerProfile:
    profile, _ = ListenerProfile.objects.get_or_create(user=user)
    return profile


def do_complete_lesson(profile: ListenerProfile, slug: str) -> None:
    if slug not in profile.lessons_completed:
        profile.lessons_completed = [*profile.lessons_completed, slug]
        profile.save(update_fields=["lessons_completed"])


@transaction.atomic
def do_submit_quiz(profile: ListenerProfile, answers: dict[str, int]) -> QuizAttempt:
    result = grade_quiz(answers)
    attempt = QuizAttempt.objects.create(
        user=profile.user, score=result.score, passed=result.passed, answers=answers
    )
    all_lessons = {lesson["slug"] for lesson in lessons()}
    if result.passed and all_lessons <= set(profile.lessons_completed):
        profile.status = ListenerProfile.Status.LISTENER
        profile.passed_quiz_at = timezone.now()
        profile.save(update_fields=["status", "passed_quiz_at"])
        request_embedding(Namespace.LISTENER, [profile.pk])
        if profile.user.role == Role.MEMBER:
            do_change_user_role(profile.user, Role.LISTENER, acting_user=None)
    return attempt


@transaction.atomic
def do_revoke_listener(profile: ListenerProfile, *, reason: str, acting_user: User) -> None:
    profile.status = ListenerProfile.Status.REVOKED
    profile.is_online = False
    profile.revoked_reason = reason
    profile.save(update_fields=["status", "is_online", "revoked_reason"])
    forget(Namespace.LISTENER, [profile.pk])
    signed_out = profile.user if profile.user.role == Role.LISTENER else None
    if signed_out is not None:
        do_change_user_role(profile.user, Role.MEMBER, acting_user=acting_user)
    record_audit(
        acting_user, "revoke_listener", target_kind="member", target_id=profile.user_id,
        reason=reason,
    )  # fmt: skip
    # Their open chats end now: both sides' sockets close, the seeker is offered someone else.
    for conversation in Conversation.objects.filter(
        listener_id=profile.user_id, status=Conversation.Status.ACTIVE
    ):
        do_end_conversation(conversation, ended_by=None, signed_out=signed_out)
    for chat_request in offers_to(profile.user_id):
        _take_back_offer(chat_request, profile.user_id)


@transaction.atomic
def do_set_availability(
    profile: ListenerProfile,
    *,
    is_online: bool,
    topics: list[str],
    languages: list[str],
    max_chats: int,
    experience: str | None = None,
) -> ListenerProfile:
    profile.is_online = is_online
    profile.topics = topics
    profile.languages = languages
    profile.max_chats = max_chats
    if experience is not None:
        profile.experience = experience.strip()
    profile.save(update_fields=["is_online", "topics", "languages", "max_chats", "experience"])
    if profile.status == ListenerProfile.Status.LISTENER:
        request_embedding(Namespace.LISTENER, [profile.pk])
    if is_online:
        transaction.on_commit(match_waiting_requests)
    return profile


# --- Asking for a chat


def _queue_changed() -> None:
    send_event_on_commit(events.QUEUE_GROUP, {"type": "queue.changed"})


@transaction.atomic
def do_request_chat(seeker: User, *, topics: list[str], language: str, message: str) -> ChatRequest:
    labels: list[str] = []
    if message:
        verdict = screen_member_text(message, surface="chat", author=seeker, send_for_review=True)
        labels = sorted(verdict.labels - {"personal_data"})
    chat_request = ChatRequest.objects.create(
        seeker=seeker, topics=topics, language=language, message=message, safety_labels=labels
    )
    if message:
        request_resource_suggestions("chat_request", chat_request.pk)
    _queue_changed()
    transaction.on_commit(match_waiting_requests)
    return chat_request


@transaction.atomic
def do_cancel_request(chat_request: ChatRequest) -> None:
    open_request = ChatRequest.objects.filter(
        pk=chat_request.pk, status__in=ChatRequest.OPEN_STATUSES
    ).first()
    if open_request is None:
        return
    ChatRequest.objects.filter(pk=open_request.pk, status__in=ChatRequest.OPEN_STATUSES).update(
        status=ChatRequest.Status.CANCELLED, offered_to=None
    )
    if open_request.offered_to_id is not None:
        _offer_closed(open_request.offered_to_id, open_request.pk)
    _queue_changed()


# --- Offers: a matched request waits for the listener to accept before any chat opens, so
# nobody sits in a chat with nobody there.


def offer_seconds() -> int:
    return settings.HAVEN_CHAT_OFFER_SECONDS


def _offer_closed(listener_id: int, request_id: int) -> None:
    send_user_event_on_commit(listener_id, {"event": "chat_offer_closed", "request_id": request_id})


def _offer(chat_request: ChatRequest, listener: User) -> bool:
    """Offers a waiting request to a listener (once, even with two processes matching)."""
    offered = ChatRequest.objects.filter(
        pk=chat_request.pk, status=ChatRequest.Status.WAITING
    ).update(status=ChatRequest.Status.OFFERED, offered_to=listener, offered_at=timezone.now())
    if not offered:
        return False
    send_user_event_on_commit(
        listener.pk,
        {
            "event": "chat_offer",
            "request_id": chat_request.pk,
            "topics": chat_request.topics,
            "message": chat_request.message,
            "expires_in": offer_seconds(),
        },
    )
    _queue_changed()
    return True


def _take_back_offer(chat_request: ChatRequest, listener_id: int) -> bool:
    """The offer is over unanswered: back to the queue in its old place, never to be offered
    to this listener again. False if it was answered in the meantime."""
    passed = sorted({*chat_request.passed_listener_ids, listener_id})
    returned = ChatRequest.objects.filter(
        pk=chat_request.pk, status=ChatRequest.Status.OFFERED, offered_to_id=listener_id
    ).update(
        status=ChatRequest.Status.WAITING, offered_to=None, offered_at=None,
        passed_listener_ids=passed,
    )  # fmt: skip
    if returned:
        _offer_closed(listener_id, chat_request.pk)
    return bool(returned)


def expire_offers(now=None) -> int:
    """Takes back offers that ran out (HAVEN_CHAT_OFFER_SECONDS) or whose listener has left
    (no live socket). Returns how many went back to the queue."""
    now = now or timezone.now()
    offers = list(ChatRequest.objects.filter(status=ChatRequest.Status.OFFERED))
    present = present_user_ids([offer.offered_to_id for offer in offers if offer.offered_to_id])
    deadline = now - timedelta(seconds=offer_seconds())
    returned = 0
    for offer in offers:
        over = offer.offered_at is None or offer.offered_at <= deadline
        if over or offer.offered_to_id not in present:
            with transaction.atomic():
                returned += _take_back_offer(offer, offer.offered_to_id)
    if returned:
        with transaction.atomic():
            _queue_changed()
    return returned


def match_waiting_requests() -> int:
    """Takes back offers that are over, then offers waiting requests, oldest first, to the best
    available listener. Returns how many were offered."""
    expire_offers()
    offered = 0
    for chat_request in ChatRequest.objects.filter(status=ChatRequest.Status.WAITING).order_by(
        "created_at", "id"
    ):
        listener = best_listener_for(chat_request)
        if listener is None:
            continue
        with transaction.atomic():
            offered += _offer(chat_request, listener.user)
    return offered


def read_queue() -> None:
    """Whoever reads the queue first moves it on: offers that are over go to the next listener
    without waiting for the periodic job."""
    if expire_offers():
        match_waiting_requests()


def _start_conversation(chat_request: ChatRequest, listener: User) -> Conversation | None:
    """Claims the request for this listener (once, even with two listeners racing: it must be
    waiting, or offered to them) and opens the chat with the seeker's opening words first."""
    now = timezone.now()
    claimed = (
        ChatRequest.objects.filter(pk=chat_request.pk)
        .filter(
            Q(status=ChatRequest.Status.WAITING)
            | Q(status=ChatRequest.Status.OFFERED, offered_to=listener)
        )
        .update(status=ChatRequest.Status.MATCHED, matched_at=now)
    )
    if not claimed:
        return None
    conversation = Conversation.objects.create(
        seeker_id=chat_request.seeker_id, listener=listener, request=chat_request
    )
    ListenerProfile.objects.filter(user=listener).update(last_matched_at=now)
    if chat_request.message:
        # Through the safety pipeline like any message (a crisis flags the chat for the
        # listener); the seeker chose to send it when they asked.
        do_send_message(
            conversation, sender=chat_request.seeker, body=chat_request.message,
            client_id=f"opening-{chat_request.pk}", send_for_review=True,
        )  # fmt: skip
    send_event_on_commit(
        events.request_group(chat_request.pk),
        {
            "type": "request.matched",
            "conversation_id": conversation.pk,
            "listener": listener.pseudonym,
        },
    )
    _queue_changed()
    return conversation


class RequestAlreadyTaken(PermissionDenied):
    """Another listener got there first: a race no check before the action can rule out."""

    def __init__(self) -> None:
        super().__init__(gettext("Someone else is already talking with this person."))


@transaction.atomic
def do_take_request(profile: ListenerProfile, chat_request: ChatRequest) -> Conversation:
    """A listener accepts the request offered to them, or takes one waiting on the board."""
    conversation = _start_conversation(chat_request, profile.user)
    if conversation is None:
        raise RequestAlreadyTaken
    return conversation


@transaction.atomic
def do_pass_offer(profile: ListenerProfile, chat_request: ChatRequest) -> None:
    if _take_back_offer(chat_request, profile.user_id):
        _queue_changed()
        transaction.on_commit(match_waiting_requests)


def offers_to(listener_id: int):
    """The requests offered to this listener and not yet answered."""
    return ChatRequest.objects.filter(
        status=ChatRequest.Status.OFFERED, offered_to_id=listener_id
    ).order_by("created_at")


def match_when_listener_arrives(sender, *, user_id: int, **kwargs) -> None:
    """A `member_came_online` receiver: a listener who opens Haven may be the one someone is
    waiting for."""
    if ListenerProfile.objects.filter(
        user_id=user_id, status=ListenerProfile.Status.LISTENER, is_online=True
    ).exists():
        match_waiting_requests()


def take_back_offers_on_leaving(sender, *, user_id: int, **kwargs) -> None:
    """A `member_went_offline` receiver: offers to a listener who closed their last page go
    to the next listener at once."""
    if offers_to(user_id).exists():
        match_waiting_requests()


def waiting_status(chat_request: ChatRequest) -> dict:
    read_queue()
    current = ChatRequest.objects.filter(pk=chat_request.pk).first()
    if current is None:  # gone with its account while the waiting room was open
        return {"status": ChatRequest.Status.CANCELLED}
    chat_request = current
    if chat_request.status == ChatRequest.Status.MATCHED:
        return {"status": "matched", "conversation_id": chat_request.conversation.pk}
    if chat_request.status not in ChatRequest.OPEN_STATUSES:
        return {"status": chat_request.status}
    position = queue_position(chat_request)
    waited = (timezone.now() - chat_request.created_at).total_seconds() / 60
    status = {
        "status": chat_request.status,
        "position": position,
        "estimated_minutes": estimated_wait_minutes(position),
        "waited_minutes": int(waited),
        "long_wait": waited >= LONG_WAIT_MINUTES,
    }
    if chat_request.status == ChatRequest.Status.OFFERED:
        left = offer_seconds() - (timezone.now() - chat_request.offered_at).total_seconds()
        status["offer_expires_in"] = max(0, math.ceil(left))
    return status


LONG_WAIT_MINUTES = 10


def open_chat_of(user: User) -> ChatRequest | Conversation | None:
    """The seeker's open request (waiting or offered) or active chat, if any: one at a time."""
    chat_request = (
        ChatRequest.objects.filter(seeker=user, status__in=ChatRequest.OPEN_STATUSES)
        .order_by("-created_at")
        .first()
    )
    if chat_request is not None:
        return chat_request
    return (
        Conversation.objects.filter(seeker=user, status=Conversation.Status.ACTIVE)
        .order_by("-started_at")
        .first()
    )


# --- A listener who went quiet (presence.seconds_until_quiet)


@transaction.atomic
def do_find_someone_else(conversation: Conversation, *, seeker: User) -> ChatRequest:
    """The listener went quiet: their chat ends, and the seeker goes back to the front of the
    queue with a new request (the first one's place; never this listener again). The
    transcript stays between the two of them: the next listener only sees the request."""
    if not do_end_conversation(conversation, ended_by=seeker):
        # Asked twice at once (two tabs): the first ask made the request.
        return ChatRequest.objects.get(seeker=seeker, status__in=ChatRequest.OPEN_STATUSES)
    first = conversation.request
    passed = {*(first.passed_listener_ids if first else []), conversation.listener_id}
    chat_request = ChatRequest.objects.create(
        seeker=seeker,
        topics=first.topics if first else [],
        language=first.language if first else "en",
        message=first.message if first else "",
        safety_labels=first.safety_labels if first else [],
        created_at=first.created_at if first else timezone.now(),
        passed_listener_ids=sorted(i for i in passed if i is not None),
    )
    _queue_changed()  # the chat's end already matches the queue once this commits
    return chat_request


# --- In the chat


def message_fields(message: ChatMessage) -> dict:
    """A chat message as the server passes it around (socket history, acks, channel-layer
    events). `sender_id` stays on the server: the consumer turns it into "you", "seeker" or
    "listener" for each client (see consumers.message_frame)."""
    return {
        "id": message.pk,
        "client_id": message.client_id,
        "sender_id": message.sender_id,
        "body": message.body,
        "created_at": message.created_at.isoformat(),
        "held": message.moderation_state == ModerationState.HELD,
        "erased": message.body == "",
    }


def message_event(message: ChatMessage) -> dict:
    return {"type": "chat.message", **message_fields(message)}


@transaction.atomic
def do_send_message(
    conversation: Conversation,
    *,
    sender: User,
    body: str,
    client_id: str,
    send_for_review: bool = False,
    announce: bool = True,
) -> tuple[ChatMessage, bool]:
    """Stores the message before anyone is told of it. A retry with the same client_id
    returns the stored message and (message, False): nothing is stored or sent twice.

    announce=False leaves telling the other side to the caller: the chat consumer does it from
    its own event loop once this has returned (and so committed)."""
    verdict = screen_member_text(
        body, surface="chat", author=sender, send_for_review=send_for_review
    )
    try:
        with transaction.atomic():
            message = ChatMessage.objects.create(
                conversation=conversation,
                sender=sender,
                client_id=client_id,
                body=body,
                moderation_state=(
                    ModerationState.HELD if verdict.decision.hold else ModerationState.VISIBLE
                ),
                safety_labels=sorted(verdict.labels - {"personal_data"}),
            )
    except IntegrityError:  # a retry of a message already stored: answer with that one
        message = ChatMessage.objects.get(
            conversation=conversation, sender=sender, client_id=client_id
        )
        # The first push may never have happened (the sender retries because something
        # failed): push again unless it is known to have gone out. Clients de-duplicate by id.
        if (
            announce
            and message.moderation_state == ModerationState.VISIBLE
            and not events.was_pushed_sync(message.pk)
        ):
            _announce(conversation, message)
        return message, False
    transaction.on_commit(lambda: count_message("chat"))
    if "crisis" in verdict.labels and not conversation.crisis_flagged:
        Conversation.objects.filter(pk=conversation.pk).update(crisis_flagged=True)
    if message.moderation_state == ModerationState.VISIBLE:
        _tell_if_away(conversation, sender)
    if announce and message.moderation_state == ModerationState.VISIBLE:
        _announce(conversation, message)
    return message, True


def _announce(conversation: Conversation, message: ChatMessage) -> None:
    events.send_message_on_commit(
        events.conversation_group(conversation.pk), message.pk, message_event(message)
    )


def _tell_if_away(conversation: Conversation, sender: User) -> None:
    """The other participants (a joined moderator's words reach both), if they have the chat
    closed, get one notification (not one per message) until they open it again."""
    for other_id in conversation.participant_ids() - {sender.pk}:
        if not presence.is_present(conversation.pk, other_id):
            do_notify_chat_message(other_id, conversation)


def visible_messages(conversation: Conversation, viewer: User, after: int = 0):
    """What a participant sees: every delivered message, plus their own held ones."""
    return conversation.messages.filter(id__gt=after).filter(
        Q(moderation_state=ModerationState.VISIBLE) | Q(sender=viewer)
    )


def do_mark_read(conversation: Conversation, reader: User, up_to: int) -> None:
    if conversation.role_of(reader) not in ("seeker", "listener"):
        return  # a joined moderator's reading is not a receipt the participants wait for
    # Never past the last message there is: a receipt for ids not yet sent would mark them read.
    last = conversation.messages.order_by("-id").values_list("id", flat=True).first() or 0
    up_to = min(up_to, last)
    field = (
        "seeker_last_read_id"
        if conversation.role_of(reader) == "seeker"
        else "listener_last_read_id"
    )
    updated = Conversation.objects.filter(pk=conversation.pk, **{f"{field}__lt": up_to}).update(
        **{field: up_to}
    )
    if updated:
        send_event_on_commit(
            events.conversation_group(conversation.pk),
            {"type": "chat.read", "reader_id": reader.pk, "up_to": up_to},
        )


@transaction.atomic
def do_end_conversation(
    conversation: Conversation, *, ended_by: User | None, signed_out: User | None = None
) -> bool:
    """Ends the chat for both sides; their open sockets get "ended" and close. `ended_by` is
    None when neither participant chose it (a listener's role revoked, an account deleted).
    `signed_out` is a participant whose access just ended: their own sockets close as signed
    out (4410) whichever of the two messages reaches them first. False if it had ended."""
    ended = Conversation.objects.filter(
        pk=conversation.pk, status=Conversation.Status.ACTIVE
    ).update(status=Conversation.Status.ENDED, ended_at=timezone.now(), ended_by=ended_by)
    if not ended:
        return False
    send_event_on_commit(
        events.conversation_group(conversation.pk),
        {
            "type": "chat.ended",
            "ended_by_id": ended_by.pk if ended_by else None,
            "signed_out_id": signed_out.pk if signed_out else None,
        },
    )
    # A listener is free again: someone waiting may be matched now.
    transaction.on_commit(match_waiting_requests)
    return True


def do_leave_feedback(conversation: Conversation, *, rating: int, feedback: str) -> ChatFeedback:
    item, _ = ChatFeedback.objects.update_or_create(
        conversation=conversation, defaults={"rating": rating, "feedback": feedback}
    )
    return item


@transaction.atomic
def do_block(conversation: Conversation, *, blocker: User) -> None:
    other_id = (
        conversation.listener_id if blocker.pk == conversation.seeker_id else conversation.seeker_id
    )
    if other_id is not None:
        MemberBlock.objects.get_or_create(blocker=blocker, blocked_id=other_id)
    do_end_conversation(conversation, ended_by=blocker)


@transaction.atomic
def do_escalate(conversation: Conversation, *, listener: User, details: str = "") -> None:
    """The listener asks moderators to step in: the chat joins the urgent queue, readable by
    moderators from then on (each look recorded)."""

    do_report_conversation(
        listener, conversation, reason="danger", details=details or "Escalated by the listener."
    )


@transaction.atomic
def do_join_conversation_as_moderator(
    conversation: Conversation, *, moderator: User, item
) -> Conversation:
    """A site moderator joins an escalated chat as a third participant: both participants are
    told live, the join is audited, and it counts as the urgent item's first human contact."""

    joined = Conversation.objects.filter(pk=conversation.pk, moderator__isnull=True).update(
        moderator=moderator, moderator_joined_at=timezone.now()
    )
    conversation.refresh_from_db()
    if joined:
        record_audit(
            moderator, "join_chat", target_kind="chat", target_id=conversation.pk,
            details={"item": item.pk},
        )  # fmt: skip
        record_first_contact(item, "chat_join")
        send_event_on_commit(
            events.conversation_group(conversation.pk),
            {"type": "chat.moderator_joined", "moderator_id": moderator.pk},
        )
    return conversation


def do_record_moderator_chat_view(conversation: Conversation, moderator: User) -> None:
    """A joined moderator opening the chat reads private words: each look is audited."""
    record_audit(moderator, "view_chat_transcript", target_kind="chat", target_id=conversation.pk)


def unread_count_for(conversation: Conversation, user: User) -> int:
    last = (
        conversation.seeker_last_read_id
        if conversation.role_of(user) == "seeker"
        else conversation.listener_last_read_id
    )
    return visible_messages(conversation, user, after=last).exclude(sender=user).count()


# --- When an account goes (haven.accounts.erasure runs this inside do_delete_account)


@transaction.atomic
def delete_old_chat_transcripts(now=None) -> int:
    """Deletes the messages of chats that ended more than HAVEN_CHAT_TRANSCRIPT_DAYS ago, except
    chats an open moderation item still needs. Returns how many messages went."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.HAVEN_CHAT_TRANSCRIPT_DAYS)
    still_needed = QueueItem.objects.filter(
        status=QueueItem.Status.OPEN, conversation__isnull=False
    ).values("conversation_id")
    return (
        ChatMessage.objects.filter(
            conversation__status=Conversation.Status.ENDED, conversation__ended_at__lt=cutoff
        )
        .exclude(conversation_id__in=still_needed)
        .delete()[0]
    )


def do_erase_chats_of(user: User, erase_content: bool) -> None:
    """Ends the member's open chats and withdraws their waiting requests. With erase_content,
    the bodies of every chat message they wrote and the words of their feedback are erased; the
    other person keeps the transcript with "erased" in those places."""
    do_end_chats_of(user)
    if erase_content:
        ChatMessage.objects.filter(sender=user).update(body="", safety_labels=[])
        ChatFeedback.objects.filter(conversation__seeker=user).update(feedback="")


@transaction.atomic
def do_end_chats_of(user: User) -> None:
    """Ends the member's open chats (the other side is told; a listener's slot is freed) and
    withdraws their waiting requests: for a member who is leaving or was suspended or banned,
    so nobody waits in a chat with someone who cannot answer. Their own sockets close as
    signed out."""
    for conversation in Conversation.objects.filter(
        Q(seeker=user) | Q(listener=user), status=Conversation.Status.ACTIVE
    ):
        do_end_conversation(conversation, ended_by=None, signed_out=user)
    for chat_request in ChatRequest.objects.filter(
        seeker=user, status__in=ChatRequest.OPEN_STATUSES
    ):
        do_cancel_request(chat_request)
    for chat_request in offers_to(user.pk):
        _take_back_offer(chat_request, user.pk)


def end_chats_on_sanction(sender, *, user_id: int, reason: str, **kwargs) -> None:
    """An `access_revoked` receiver: a suspended or banned member's chats end and their
    request leaves the queue (their sockets are closed by notifications' receiver)."""
    if reason not in ("suspended", "banned"):
        return
    user = User.objects.filter(pk=user_id).first()
    if user is not None:
        do_end_chats_of(user)
