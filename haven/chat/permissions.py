"""Who may take part in what. A conversation exists only for its two participants: to anyone
else it is simply not found, whatever the way in (page, socket, API)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from haven.accounts.actors import Actor
from haven.accounts.gates import check_can_write
from haven.accounts.models import User
from haven.chat.models import Block, ChatRequest, Conversation, ListenerProfile


def access_conversation_by_id(user: User, conversation_id: int) -> Conversation:
    conversation = (
        Conversation.objects.select_related("seeker", "listener").filter(pk=conversation_id).first()
    )
    if conversation is None or not user.is_authenticated:
        raise Http404("No such conversation.")
    if user.pk not in conversation.participant_ids():
        raise Http404("No such conversation.")
    return conversation


def access_own_request(user: User, request_id: int) -> ChatRequest:
    chat_request = ChatRequest.objects.filter(pk=request_id, seeker=user).first()
    if chat_request is None:
        raise Http404("No such request.")
    return chat_request


def active_listener_profile(user: User) -> ListenerProfile:
    profile = ListenerProfile.objects.filter(user=user).first()
    if profile is None or not profile.is_active_listener:
        raise PermissionDenied("Only trained listeners can do that.")
    return profile


def check_send_message(actor: Actor, conversation: Conversation) -> None:
    check_can_write(actor, "chat_message")
    if conversation.status != Conversation.Status.ACTIVE:
        raise PermissionDenied("This chat has ended.")


def check_take_request(
    actor: Actor, profile: ListenerProfile, chat_request: ChatRequest
) -> None:
    check_can_write(actor, "chat")
    if chat_request.status != ChatRequest.Status.WAITING:
        raise PermissionDenied("Someone else is already talking with this person.")
    if chat_request.seeker_id == profile.user_id:
        raise PermissionDenied("You can't take your own request.")
    if is_blocked_between(profile.user_id, chat_request.seeker_id):
        raise PermissionDenied("You can't take this request.")


def check_request_chat(actor: Actor) -> None:
    check_can_write(actor, "chat_request")
    if ChatRequest.objects.filter(seeker=actor.user, status=ChatRequest.Status.WAITING).exists():
        raise PermissionDenied("You're already waiting for a listener.")


def check_take_part_in_chat(actor: Actor) -> None:
    """Training, availability, cancelling a request, ending or blocking in a chat."""
    check_can_write(actor, "chat")


def check_escalate(actor: Actor, conversation: Conversation) -> None:
    check_can_write(actor, "chat")
    if conversation.role_of(actor.user) != "listener":
        raise PermissionDenied("Only the listener can escalate a chat.")


def check_leave_feedback(actor: Actor, conversation: Conversation) -> None:
    check_can_write(actor, "feedback")
    if (
        conversation.role_of(actor.user) != "seeker"
        or conversation.status != Conversation.Status.ENDED
    ):
        raise PermissionDenied("Feedback comes from the person who asked, after the chat.")


def is_blocked_between(first_id: int, second_id: int) -> bool:
    return (
        Block.objects.filter(
            blocker_id__in=[first_id, second_id], blocked_id__in=[first_id, second_id]
        )
        .exclude(blocker_id=first_id, blocked_id=first_id)
        .exists()
    )
