"""Every change in live chat. Pages, the API and the WebSocket consumers all call these."""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from haven.accounts.actions import do_change_user_role
from haven.accounts.models import Role, User
from haven.chat import events, presence
from haven.chat.matching import best_listener_for, estimated_wait_minutes, queue_position
from haven.chat.models import (
    Block,
    ChatFeedback,
    ChatMessage,
    ChatRequest,
    Conversation,
    ListenerProfile,
    QuizAttempt,
)
from haven.chat.training import grade_quiz, lessons
from haven.matching.indexing import request_embedding, request_resource_suggestions
from haven.matching.models import Namespace
from haven.matching.vectors import forget
from haven.moderation.actions import record_audit
from haven.moderation.models import ModerationState
from haven.notifications.actions import do_notify_chat_message, do_notify_new_chat
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
    events.send_on_commit(events.QUEUE_GROUP, {"type": "queue.changed"})


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
    ChatRequest.objects.filter(pk=chat_request.pk, status=ChatRequest.Status.WAITING).update(
        status=ChatRequest.Status.CANCELLED
    )
    _queue_changed()


def _start_conversation(chat_request: ChatRequest, listener: User) -> Conversation | None:
    """Claims the request (once, even with two listeners racing) and opens the chat."""
    now = timezone.now()
    claimed = ChatRequest.objects.filter(
        pk=chat_request.pk, status=ChatRequest.Status.WAITING
    ).update(status=ChatRequest.Status.MATCHED, matched_at=now)
    if not claimed:
        return None
    conversation = Conversation.objects.create(
        seeker_id=chat_request.seeker_id, listener=listener, request=chat_request
    )
    ListenerProfile.objects.filter(user=listener).update(last_matched_at=now)
    do_notify_new_chat(listener, conversation)
    events.send_on_commit(
        events.request_group(chat_request.pk),
        {"type": "request.matched", "conversation_id": conversation.pk},
    )
    _queue_changed()
    return conversation


@transaction.atomic
def do_take_request(profile: ListenerProfile, chat_request: ChatRequest) -> Conversation | None:
    return _start_conversation(chat_request, profile.user)


def match_waiting_requests() -> int:
    """Pairs waiting requests, oldest first, with the best free listener. Returns how many."""
    matched = 0
    for chat_request in ChatRequest.objects.filter(status=ChatRequest.Status.WAITING).order_by(
        "created_at", "id"
    ):
        listener = best_listener_for(chat_request)
        if listener is None:
            continue
        with transaction.atomic():
            if _start_conversation(chat_request, listener.user) is not None:
                matched += 1
    return matched


def waiting_status(chat_request: ChatRequest) -> dict:
    current = ChatRequest.objects.filter(pk=chat_request.pk).first()
    if current is None:  # gone with its account while the waiting room was open
        return {"status": ChatRequest.Status.CANCELLED}
    chat_request = current
    if chat_request.status == ChatRequest.Status.MATCHED:
        return {"status": "matched", "conversation_id": chat_request.conversation.pk}
    if chat_request.status != ChatRequest.Status.WAITING:
        return {"status": chat_request.status}
    position = queue_position(chat_request)
    waited = (timezone.now() - chat_request.created_at).total_seconds() / 60
    return {
        "status": "waiting",
        "position": position,
        "estimated_minutes": estimated_wait_minutes(position),
        "waited_minutes": int(waited),
        "long_wait": waited >= LONG_WAIT_MINUTES,
    }


LONG_WAIT_MINUTES = 10


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
    """The other participant, if they have the chat closed, gets one notification (not one per
    message) until they open it again."""
    other_id = (
        conversation.listener_id if sender.pk == conversation.seeker_id else conversation.seeker_id
    )
    if other_id is None or presence.is_present(conversation.pk, other_id):
        return
    do_notify_chat_message(other_id, conversation)


def visible_messages(conversation: Conversation, viewer: User, after: int = 0):
    """What a participant sees: every delivered message, plus their own held ones."""
    return conversation.messages.filter(id__gt=after).filter(
        Q(moderation_state=ModerationState.VISIBLE) | Q(sender=viewer)
    )


def do_mark_read(conversation: Conversation, reader: User, up_to: int) -> None:
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
        events.send_on_commit(
            events.conversation_group(conversation.pk),
            {"type": "chat.read", "reader_id": reader.pk, "up_to": up_to},
        )


@transaction.atomic
def do_end_conversation(
    conversation: Conversation, *, ended_by: User | None, signed_out: User | None = None
) -> None:
    """Ends the chat for both sides; their open sockets get "ended" and close. `ended_by` is
    None when neither participant chose it (a listener's role revoked, an account deleted).
    `signed_out` is a participant whose access just ended: their own sockets close as signed
    out (4410) whichever of the two messages reaches them first."""
    ended = Conversation.objects.filter(
        pk=conversation.pk, status=Conversation.Status.ACTIVE
    ).update(status=Conversation.Status.ENDED, ended_at=timezone.now(), ended_by=ended_by)
    if ended:
        events.send_on_commit(
            events.conversation_group(conversation.pk),
            {
                "type": "chat.ended",
                "ended_by_id": ended_by.pk if ended_by else None,
                "signed_out_id": signed_out.pk if signed_out else None,
            },
        )
        # A listener is free again: someone waiting may be matched now.
        transaction.on_commit(match_waiting_requests)


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
        Block.objects.get_or_create(blocker=blocker, blocked_id=other_id)
    do_end_conversation(conversation, ended_by=blocker)


@transaction.atomic
def do_escalate(conversation: Conversation, *, listener: User, details: str = "") -> None:
    """The listener asks moderators to step in: the chat joins the urgent queue, readable by
    moderators from then on (each look recorded)."""
    from haven.moderation.actions import do_report_conversation

    do_report_conversation(
        listener, conversation, reason="danger", details=details or "Escalated by the listener."
    )


def unread_count_for(conversation: Conversation, user: User) -> int:
    last = (
        conversation.seeker_last_read_id
        if conversation.role_of(user) == "seeker"
        else conversation.listener_last_read_id
    )
    return visible_messages(conversation, user, after=last).exclude(sender=user).count()


# --- When an account goes (haven.accounts.erasure runs this inside do_delete_account)


@transaction.atomic
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
    if ChatRequest.objects.filter(seeker=user, status=ChatRequest.Status.WAITING).update(
        status=ChatRequest.Status.CANCELLED
    ):
        _queue_changed()


def end_chats_on_sanction(sender, *, user_id: int, reason: str, **kwargs) -> None:
    """An `access_revoked` receiver: a suspended or banned member's chats end and their
    request leaves the queue (their sockets are closed by notifications' receiver)."""
    if reason not in ("suspended", "banned"):
        return
    user = User.objects.filter(pk=user_id).first()
    if user is not None:
        do_end_chats_of(user)
