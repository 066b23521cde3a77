"""Who may take part in what. A conversation exists only for its two participants (and a site
moderator who joined it after it was escalated): to anyone else it is simply not found,
whatever the way in (page, socket, API)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from haven.accounts.actors import Actor
from haven.accounts.blocks import is_blocked_between
from haven.accounts.gates import check_can_write
from haven.accounts.models import User
from haven.chat.models import ChatRequest, Conversation, ListenerProfile
from haven.chat.presence import listener_is_quiet
from haven.moderation.models import QueueItem, QueueKind


def access_conversation_by_id(user: User, conversation_id: int) -> Conversation:
    conversation = (
        Conversation.objects.select_related("seeker", "listener").filter(pk=conversation_id).first()
    )
    if conversation is None or not user.is_authenticated:
        raise Http404("No such conversation.")
    if user.pk in conversation.participant_ids():
        return conversation
    # A moderator who joined keeps access only while they are still a site moderator.
    if conversation.moderator_id == user.pk and user.is_site_moderator:
        return conversation
    raise Http404("No such conversation.")


def access_own_request(user: User, request_id: int) -> ChatRequest:
    chat_request = ChatRequest.objects.filter(pk=request_id, seeker=user).first()
    if chat_request is None:
        raise Http404("No such request.")
    return chat_request


def active_listener_profile(user: User) -> ListenerProfile:
    profile = ListenerProfile.objects.filter(user=user).first()
    if profile is None or not profile.is_active_listener:
        raise PermissionDenied(_("Only trained listeners can do that."))
    return profile


def access_request_as_listener(user: User, request_id: int) -> tuple[ListenerProfile, ChatRequest]:
    """The listener's profile and the request they act on (take, pass), for pages and the API."""
    profile = active_listener_profile(user)
    chat_request = ChatRequest.objects.filter(pk=request_id).first()
    if chat_request is None:
        raise Http404("No such request.")
    return profile, chat_request


def check_send_message(actor: Actor, conversation: Conversation) -> None:
    check_can_write(actor, "chat_message")
    if conversation.status != Conversation.Status.ACTIVE:
        raise PermissionDenied(_("This chat has ended."))


def check_take_request(actor: Actor, profile: ListenerProfile, chat_request: ChatRequest) -> None:
    """Accepting the request offered to this listener, or taking one waiting on the board."""
    check_can_write(actor, "chat")
    offered_to_me = (
        chat_request.status == ChatRequest.Status.OFFERED
        and chat_request.offered_to_id == profile.user_id
    )
    if chat_request.status != ChatRequest.Status.WAITING and not offered_to_me:
        raise PermissionDenied(_("Someone else is already talking with this person."))
    if chat_request.seeker_id == profile.user_id:
        raise PermissionDenied(_("You can't take your own request."))
    if is_blocked_between(profile.user_id, chat_request.seeker_id):
        raise PermissionDenied(_("You can't take this request."))


def check_pass_offer(actor: Actor, profile: ListenerProfile, chat_request: ChatRequest) -> None:
    check_can_write(actor, "chat")
    if (
        chat_request.status != ChatRequest.Status.OFFERED
        or chat_request.offered_to_id != profile.user_id
    ):
        raise PermissionDenied(_("This request is no longer waiting for your answer."))


def check_request_chat(actor: Actor) -> None:
    """One open request or chat at a time: a second would leave a listener waiting on nobody."""
    check_can_write(actor, "chat_request")
    _check_no_open_request(actor.user)
    if Conversation.objects.filter(seeker=actor.user, status=Conversation.Status.ACTIVE).exists():
        raise PermissionDenied(_("You already have a chat open with a listener."))


def _check_no_open_request(user: User) -> None:
    if ChatRequest.objects.filter(seeker=user, status__in=ChatRequest.OPEN_STATUSES).exists():
        raise PermissionDenied(_("You're already waiting for a listener."))


def check_find_someone_else(actor: Actor, conversation: Conversation) -> None:
    """Only the seeker, in an open chat whose listener has left their last words unanswered
    for HAVEN_CHAT_QUIET_SECONDS."""
    check_can_write(actor, "chat_request")
    if conversation.role_of(actor.user) != "seeker":
        raise PermissionDenied(_("Only the person who asked can look for someone else."))
    _check_no_open_request(actor.user)
    if not listener_is_quiet(conversation):
        raise PermissionDenied(_("Your listener is still here. You can end the chat at any time."))


def check_take_part_in_chat(actor: Actor) -> None:
    """Training, availability, cancelling a request, ending or blocking in a chat."""
    check_can_write(actor, "chat")


def check_escalate(actor: Actor, conversation: Conversation) -> None:
    check_can_write(actor, "chat")
    if conversation.role_of(actor.user) != "listener":
        raise PermissionDenied(_("Only the listener can escalate a chat."))


def check_leave_feedback(actor: Actor, conversation: Conversation) -> None:
    check_can_write(actor, "feedback")
    if (
        conversation.role_of(actor.user) != "seeker"
        or conversation.status != Conversation.Status.ENDED
    ):
        raise PermissionDenied(_("Feedback comes from the person who asked, after the chat."))


def check_join_conversation_as_moderator(actor: Actor, conversation: Conversation) -> None:
    """Only site moderators, only an active chat that was escalated or reported as danger
    (an urgent queue item), and one moderator per chat."""

    check_can_write(actor, "moderate")
    user = actor.user
    if not user.is_site_moderator:
        raise PermissionDenied(_("Only site moderators can join a chat."))
    if user.pk in conversation.participant_ids():
        raise PermissionDenied(_("You are already in this chat."))
    if not QueueItem.objects.filter(conversation=conversation, kind=QueueKind.URGENT).exists():
        raise PermissionDenied(_("Moderators join a chat only when it was escalated."))
    if conversation.status != Conversation.Status.ACTIVE:
        raise PermissionDenied(_("This chat has ended."))
    if conversation.moderator_id not in (None, user.pk):
        raise PermissionDenied(_("Another moderator has already joined this chat."))


def check_block_in_chat(actor: Actor, conversation: Conversation) -> None:
    check_can_write(actor, "chat")
    if conversation.role_of(actor.user) == "moderator":
        raise PermissionDenied(_("Moderators don't block or report from inside a chat."))
