"""A member's safety plan, shared with their listener for one open chat.

The plan is wellness's; this is the chat's side of sharing it: who the member can share with
(the listener of an open chat they started), and that the share stands only while that chat is
open. Registered with wellness as a ShareChannel from chat's wiring.
"""

from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from haven.accounts.models import User
from haven.chat.models import Conversation
from haven.core.fragments import render_fragment
from haven.wellness.models import SafetyPlanShare
from haven.wellness.safety_plan import ShareChannel, plan_of


def open_chats_to_share_with(member: User):
    """The member's open chats as the person seeking support, whose listener could see the plan."""

    return Conversation.objects.filter(
        seeker=member, status=Conversation.Status.ACTIVE, listener__isnull=False
    ).select_related("listener")


@transaction.atomic
def do_share_plan_in_chat(member: User, conversation: Conversation) -> SafetyPlanShare:
    if (
        conversation.seeker_id != member.pk
        or conversation.status != Conversation.Status.ACTIVE
        or conversation.listener_id is None
    ):
        raise Http404("No such open chat.")
    share, _ = SafetyPlanShare.objects.get_or_create(
        plan=plan_of(member),
        shared_with_id=conversation.listener_id,
        conversation=conversation,
        revoked_at=None,
    )
    return share


def plan_shared_in_chat(chat: Conversation, user: User, role: str | None):
    """The seeker's safety plan as shared in this chat: what the seeker shares, or what the
    listener may read."""

    if chat.status != Conversation.Status.ACTIVE:
        return None
    shares = SafetyPlanShare.objects.filter(conversation=chat, revoked_at__isnull=True)
    if role == "listener":
        return shares.filter(shared_with=user).first()
    return shares.filter(plan__member=user).first()


def _offers(request: HttpRequest) -> SafeString:
    return render_fragment(
        request,
        "chat/_safety_plan_offers.html",
        {"open_chats": open_chats_to_share_with(request.user)},
    )


def _back_to_chat(share: SafetyPlanShare) -> tuple[str, str]:
    return reverse("chat:conversation", args=[share.conversation_id]), gettext("Back to the chat")


SHARE_IN_CHAT = ShareChannel(
    name="chat",
    standing=lambda: Q(conversation__status=Conversation.Status.ACTIVE),
    holds=lambda share: share.conversation_id is not None,
    reader=lambda share: (share.shared_with.pseudonym, gettext("your listener in an open chat")),
    offers=_offers,
    back_link=_back_to_chat,
)
