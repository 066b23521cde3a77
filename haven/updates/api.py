"""Updates and follows in the JSON API."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from haven.accounts.api_auth import member_auth
from haven.accounts.gates import record_write
from haven.accounts.permissions import access_member_by_pseudonym
from haven.accounts.preferences import viewer_filters
from haven.core.api_schemas import AuthorOut, InputSchema, MemberText, PageNumber, PageOf, paginate
from haven.safety.api import SupportOut, support_out
from haven.updates import actions
from haven.updates.models import (
    REPLY_MAX_LENGTH,
    UPDATE_MAX_LENGTH,
    FollowStatus,
    Update,
    UpdateReply,
)
from haven.updates.permissions import (
    access_follower_by_pseudonym,
    access_update_by_id,
    access_update_reply_by_id,
    check_create_update,
    check_delete_update,
    check_delete_update_reply,
    check_follow,
    check_react_to_update,
    check_reply_to_update,
    check_unfollow,
    filter_visible_replies,
)
from haven.updates.queries import with_reactions_and_replies

router = Router(auth=member_auth, tags=["updates"])

MoodName = Literal["", "great", "good", "okay", "low", "anxious", "struggling"]
VisibilityName = Literal["public", "followers", "private"]
ReactionKind = Literal["hug", "metoo", "thanks"]


class UpdateReactionCounts(Schema):
    hug: int = 0
    metoo: int = 0
    thanks: int = 0


class UpdateOut(Schema):
    id: str = Field(description="The update's public id (random; says nothing about order).")
    author: AuthorOut
    body: str
    mood: MoodName
    visibility: VisibilityName
    created_at: datetime
    is_mine: bool
    moderation_state: Literal["visible", "held", "removed"]
    health_warning: bool
    reactions: UpdateReactionCounts | None = Field(
        default=None, description="Support sent; null where a list does not carry it (search)."
    )
    my_reactions: list[ReactionKind] | None = None
    reply_count: int | None = Field(
        default=None, description="Replies you can see; null where a list does not carry it."
    )
    support: SupportOut | None = None
    themes: list[str] = Field(
        default_factory=list, description="Theme keys found in the update (haven.core.themes)."
    )
    hidden_reason: str | None = Field(
        default=None,
        description="Set when the reader muted a theme this update carries: show a one-line "
        "placeholder, 'Hidden: <reason>.', they can open.",
    )


class UpdatePageOut(PageOf):
    items: list[UpdateOut]


class UpdateReplyOut(Schema):
    id: str = Field(description="The reply's public id (random; says nothing about order).")
    update_id: str = Field(description="The update's public id.")
    author: AuthorOut
    body: str
    created_at: datetime
    is_mine: bool
    can_delete: bool = Field(description="Yours, or a reply to your update.")
    moderation_state: Literal["visible", "held", "removed"] = Field(
        description="Others only ever see visible replies; the writer also sees held and removed."
    )
    removal_reason: str
    health_warning: bool
    support: SupportOut | None = Field(
        default=None, description="Set on a new reply whose words suggest crisis: show it."
    )


class UpdateRepliesPageOut(PageOf):
    items: list[UpdateReplyOut] = Field(description="Oldest first.")


class UpdateReplyIn(InputSchema):
    body: MemberText(REPLY_MAX_LENGTH)
    send_for_review: bool = Field(
        default=False, description="After a may_hurt answer: send the text as it is for review."
    )


class UpdateReactionIn(InputSchema):
    kind: ReactionKind


class UpdateReactionOut(Schema):
    kind: ReactionKind
    reacted: bool
    reactions: UpdateReactionCounts


class UpdateIn(InputSchema):
    body: MemberText(UPDATE_MAX_LENGTH)
    mood: MoodName = ""
    visibility: VisibilityName = "public"
    send_for_review: bool = False


class FollowOut(Schema):
    pseudonym: str
    following: bool
    status: Literal["pending", "accepted"] | None = Field(
        default=None,
        description="pending until the member approves you; only then do you see their "
        "followers-only updates.",
    )


class FollowerOut(Schema):
    pseudonym: str = Field(description="Also the id used in the approve/decline/remove paths.")
    status: Literal["pending", "accepted"]
    since: datetime


class FollowersOut(Schema):
    items: list[FollowerOut]


class FollowerSettingOut(Schema):
    approve_new_followers: bool = Field(
        description="On by default: new followers wait for your approval before they see "
        "your followers-only updates."
    )


class FollowerSettingIn(InputSchema):
    approve_new_followers: bool


def follower_out(follow) -> dict:
    return {
        "pseudonym": follow.follower.pseudonym,
        "status": follow.status,
        "since": follow.created_at,
    }


def update_out(update: Update, viewer) -> dict:
    data = {
        "id": update.public_id,
        "author": {"pseudonym": update.author.pseudonym},
        "body": update.body,
        "mood": update.mood,
        "visibility": update.visibility,
        "created_at": update.created_at,
        "is_mine": update.author_id == viewer.pk,
        "moderation_state": update.moderation_state,
        "health_warning": "misinformation" in update.safety_labels,
        "themes": update.themes,
        "hidden_reason": viewer_filters(viewer).hidden_reason(
            themes=update.themes, author_id=update.author_id
        )
        or None,
    }
    if getattr(update, "has_social", False):
        buttons = update.reaction_buttons
        data["reactions"] = {kind: n for kind, _, n, _ in buttons}
        data["my_reactions"] = [kind for kind, _, _, on in buttons if on]
        data["reply_count"] = len(update.shown_replies)
    return data


def reply_out(reply: UpdateReply, viewer) -> dict:
    mine = reply.author_id == viewer.pk
    return {
        "id": reply.public_id,
        "update_id": reply.update.public_id,
        "author": {"pseudonym": reply.author.pseudonym},
        "body": reply.body,
        "created_at": reply.created_at,
        "is_mine": mine,
        "can_delete": mine or reply.update.author_id == viewer.pk,
        "moderation_state": reply.moderation_state,
        "removal_reason": reply.removal_reason if mine else "",
        "health_warning": "misinformation" in reply.safety_labels,
    }


def _shown(update: Update, viewer) -> Update:
    """The update again, with its counts and the replies the viewer sees."""
    return with_reactions_and_replies(Update.objects.filter(pk=update.pk), viewer).get()


def _page(queryset, request: HttpRequest, page: int) -> dict:
    items, meta = paginate(with_reactions_and_replies(queryset, request.user), page)
    return {**meta, "items": [update_out(u, request.user) for u in items]}


@router.get("/updates/timeline", response=UpdatePageOut)
def timeline(request: HttpRequest, page: PageNumber = 1):
    return _page(actions.timeline_for(request.user), request, page)


@router.post("/updates", response={201: UpdateOut})
def create_update(request: HttpRequest, payload: UpdateIn):
    check_create_update(request.actor, body=payload.body)
    update = actions.do_create_update(
        body=payload.body,
        mood=payload.mood,
        visibility=payload.visibility,
        send_for_review=payload.send_for_review,
        acting_user=request.user,
    )
    record_write(request.actor, "update")
    support = support_out(request.user, update)
    return Status(201, {**update_out(update, request.user), "support": support})


@router.get("/updates/{update_id}", response=UpdateOut)
def get_update(request: HttpRequest, update_id: str):
    update = access_update_by_id(request.user, update_id)
    return update_out(_shown(update, request.user), request.user)


@router.post(
    "/updates/{update_id}/reactions", response=UpdateReactionOut, summary="Toggle a reaction"
)
def toggle_update_reaction(request: HttpRequest, update_id: str, payload: UpdateReactionIn):
    update = access_update_by_id(request.user, update_id)
    check_react_to_update(request.actor, update)
    reacted = actions.do_toggle_update_reaction(update, payload.kind, acting_user=request.user)
    counts = update_out(_shown(update, request.user), request.user)["reactions"]
    return {"kind": payload.kind, "reacted": reacted, "reactions": counts}


@router.get("/updates/{update_id}/replies", response=UpdateRepliesPageOut)
def list_update_replies(request: HttpRequest, update_id: str, page: PageNumber = 1):
    update = access_update_by_id(request.user, update_id)
    replies = filter_visible_replies(
        UpdateReply.objects.filter(update=update).select_related("author", "update"),
        request.user,
    ).order_by("created_at", "id")
    items, meta = paginate(replies, page)
    return {**meta, "items": [reply_out(reply, request.user) for reply in items]}


@router.post("/updates/{update_id}/replies", response={201: UpdateReplyOut})
def create_update_reply(request: HttpRequest, update_id: str, payload: UpdateReplyIn):
    update = access_update_by_id(request.user, update_id)
    check_reply_to_update(request.actor, update, body=payload.body)
    reply = actions.do_reply_to_update(
        update,
        body=payload.body,
        send_for_review=payload.send_for_review,
        acting_user=request.user,
    )
    record_write(request.actor, "reply")
    support = support_out(request.user, reply)
    return Status(201, {**reply_out(reply, request.user), "support": support})


@router.delete("/update-replies/{reply_id}", response={204: None})
def delete_update_reply(request: HttpRequest, reply_id: str):
    reply = access_update_reply_by_id(request.user, reply_id)
    check_delete_update_reply(request.actor, reply)
    actions.do_delete_update_reply(reply, acting_user=request.user)
    return Status(204, None)


@router.delete("/updates/{update_id}", response={204: None})
def delete_update(request: HttpRequest, update_id: str):
    update = access_update_by_id(request.user, update_id)
    check_delete_update(request.actor, update)
    actions.do_delete_update(update, acting_user=request.user)
    return Status(204, None)


@router.get("/members/{pseudonym}/updates", response=UpdatePageOut)
def member_updates(request: HttpRequest, pseudonym: str, page: PageNumber = 1):
    member = access_member_by_pseudonym(request.user, pseudonym)
    return _page(actions.updates_by(member, request.user), request, page)


@router.put("/members/{pseudonym}/follow", response=FollowOut)
def follow(request: HttpRequest, pseudonym: str):
    member = access_member_by_pseudonym(request.user, pseudonym)
    check_follow(request.actor, member)
    follow = actions.do_follow(member, acting_user=request.user)
    return {"pseudonym": member.pseudonym, "following": True, "status": follow.status}


@router.delete("/members/{pseudonym}/follow", response=FollowOut)
def unfollow(request: HttpRequest, pseudonym: str):
    member = access_member_by_pseudonym(request.user, pseudonym)
    check_unfollow(request.actor, member)
    actions.do_unfollow(member, acting_user=request.user)
    return {"pseudonym": member.pseudonym, "following": False}


@router.get("/me/follow-requests", response=FollowersOut, summary="People asking to follow you")
def follow_requests(request: HttpRequest):
    return {"items": [follower_out(f) for f in actions.follow_requests_for(request.user)]}


@router.post("/me/follow-requests/{pseudonym}/approve", response=FollowerOut)
def approve_follow_request(request: HttpRequest, pseudonym: str):
    follow = access_follower_by_pseudonym(request.user, pseudonym, FollowStatus.PENDING)
    actions.do_approve_follower(follow, acting_user=request.user)
    return follower_out(follow)


@router.post("/me/follow-requests/{pseudonym}/decline", response={204: None})
def decline_follow_request(request: HttpRequest, pseudonym: str):
    follow = access_follower_by_pseudonym(request.user, pseudonym, FollowStatus.PENDING)
    actions.do_remove_follower(follow, acting_user=request.user)
    return Status(204, None)


@router.get("/me/followers", response=FollowersOut, summary="People you approved to follow you")
def my_followers(request: HttpRequest):
    return {"items": [follower_out(f) for f in actions.followers_of(request.user)]}


@router.delete("/me/followers/{pseudonym}", response={204: None}, summary="Remove a follower")
def remove_follower(request: HttpRequest, pseudonym: str):
    follow = access_follower_by_pseudonym(request.user, pseudonym)
    actions.do_remove_follower(follow, acting_user=request.user)
    return Status(204, None)


@router.get("/me/follower-setting", response=FollowerSettingOut)
def follower_setting(request: HttpRequest):
    return {"approve_new_followers": actions.approves_new_followers(request.user)}


@router.put("/me/follower-setting", response=FollowerSettingOut)
def set_follower_setting(request: HttpRequest, payload: FollowerSettingIn):
    actions.do_set_approve_new_followers(payload.approve_new_followers, acting_user=request.user)
    return {"approve_new_followers": payload.approve_new_followers}
