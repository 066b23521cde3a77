"""Forums in the JSON API: the same checks and actions as the pages."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Router, Schema, Status
from pydantic import Field

from haven.accounts.api_auth import member_auth
from haven.accounts.gates import record_write
from haven.accounts.preferences import viewer_filters
from haven.communities.permissions import access_community_by_slug, is_community_moderator
from haven.core.api_schemas import (
    AuthorOut,
    InputSchema,
    MemberText,
    PageNumber,
    PageOf,
    PublicId,
    paginate,
)
from haven.core.public_ids import coarse_time
from haven.forums import actions
from haven.forums.authorship import author_label, is_own_post, shown_time, visible_author
from haven.forums.models import (
    BODY_MAX_LENGTH,
    CONTENT_WARNING_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Post,
    Thread,
)
from haven.forums.permissions import (
    access_post_by_id,
    access_thread_by_id,
    check_create_thread,
    check_delete_post,
    check_edit_post,
    check_moderate_thread,
    check_react_to_post,
    check_reply_to_thread,
    check_set_subscription,
)
from haven.forums.queries import (
    FeedSort,
    PostNode,
    community_threads,
    home_feed,
    load_thread_page,
    reaction_summary,
)
from haven.forums.reading import do_record_thread_read
from haven.safety.api import SupportOut, support_out

router = Router(auth=member_auth, tags=["forums"])

SortName = Literal["new", "active", "needs-support"]
ReactionKind = Literal["hug", "metoo", "thanks"]


class ReactionCounts(Schema):
    hug: int = 0
    metoo: int = 0
    thanks: int = 0


class PostOut(Schema):
    id: str = Field(description="The post's public id (random; says nothing about order).")
    thread_id: str = Field(description="The thread's public id.")
    parent_id: str | None
    depth: int
    author: AuthorOut | None = Field(description="Null when anonymous (to others) or deleted.")
    author_label: str
    is_anonymous: bool
    is_mine: bool
    is_deleted: bool
    body: str
    body_html: str
    created_at: datetime = Field(
        description="On others' anonymous posts only the hour, so it can't link them to the "
        "writer's named posts; exact for named posts and for the writer."
    )
    edited_at: datetime | None
    reactions: ReactionCounts
    my_reactions: list[ReactionKind]
    moderation_state: Literal["visible", "held", "removed"] = Field(
        description="Others only ever see visible posts; the author also sees held and removed."
    )
    removal_reason: str
    health_warning: bool = Field(description="Carries the harmful-health-information label.")
    hidden_reason: str | None = Field(
        default=None,
        description="Set on a reply written under their name by someone the reader blocked: "
        "collapse it to a line they can open; the replies under it stay in place.",
    )
    support: SupportOut | None = Field(
        default=None, description="Set on a new post whose words suggest crisis: show it."
    )


class ThreadSummaryOut(Schema):
    id: str = Field(description="The thread's public id (random; says nothing about order).")
    community: str
    title: str
    content_warning: str
    tags: list[str]
    author: AuthorOut | None
    author_label: str
    is_anonymous: bool
    created_at: datetime = Field(description="Only the hour when the thread is anonymous.")
    last_activity_at: datetime = Field(
        description="To the hour: the latest reply may be anonymous. Lists are still ordered "
        "by the exact time."
    )
    reply_count: int
    is_locked: bool
    is_pinned: bool
    is_deleted: bool
    themes: list[str] = Field(
        default_factory=list,
        description="Theme keys found in the thread (see /api/me/preferences for the list).",
    )
    hidden_reason: str | None = Field(
        default=None,
        description="Set when the reader muted a theme or tag this thread carries, or blocked "
        "its writer: show a one-line placeholder, 'Hidden: <reason>.', they can open.",
    )


class ThreadOut(ThreadSummaryOut):
    opening_post: PostOut
    is_subscribed: bool
    can_moderate: bool


class ThreadPageOut(PageOf):
    items: list[ThreadSummaryOut]


class RepliesPageOut(PageOf):
    items: list[PostOut] = Field(
        description="One page of top-level replies, each followed by the replies under it."
    )


class ThreadIn(InputSchema):
    title: MemberText(TITLE_MAX_LENGTH)
    body: MemberText(BODY_MAX_LENGTH)
    content_warning: MemberText(CONTENT_WARNING_MAX_LENGTH, required=False) = ""
    tags: list[MemberText(40)] = Field(default_factory=list, max_length=5)
    is_anonymous: bool = False
    send_for_review: bool = Field(
        default=False, description="After a may_hurt answer: send the text as it is for review."
    )


class ReplyIn(InputSchema):
    body: MemberText(BODY_MAX_LENGTH)
    parent_id: PublicId | None = None
    is_anonymous: bool = False
    send_for_review: bool = False


class PostEditIn(InputSchema):
    body: MemberText(BODY_MAX_LENGTH)
    title: MemberText(TITLE_MAX_LENGTH) | None = None
    content_warning: MemberText(CONTENT_WARNING_MAX_LENGTH, required=False) | None = None
    tags: list[MemberText(40)] | None = Field(default=None, max_length=5)
    send_for_review: bool = False


class ReactionIn(InputSchema):
    kind: ReactionKind


class ReactionOut(Schema):
    kind: ReactionKind
    reacted: bool
    reactions: ReactionCounts


class ModerationIn(InputSchema):
    is_locked: bool | None = None
    is_pinned: bool | None = None


class SubscriptionOut(Schema):
    subscribed: bool


class ThreadRefOut(Schema):
    id: str
    title: str
    community: str


def author_out(post: Post, viewer) -> dict | None:
    author = visible_author(post, viewer)
    return {"pseudonym": author.pseudonym} if author is not None else None


def _blocked_reply_reason(post: Post, viewer) -> str | None:
    blocked = viewer_filters(viewer).is_blocked(post.author_id, is_anonymous=post.is_anonymous)
    return gettext("someone you blocked wrote this") if post.depth and blocked else None


def post_out(
    post: Post, viewer, counts: dict[str, int] | None = None, mine: set[str] | None = None
) -> dict:
    return {
        "id": post.public_id,
        "thread_id": post.thread.public_id,
        "parent_id": post.parent.public_id if post.parent_id else None,
        "depth": post.depth,
        "author": None if post.is_deleted else author_out(post, viewer),
        "author_label": "" if post.is_deleted else author_label(post, viewer),
        "is_anonymous": post.is_anonymous,
        "is_mine": is_own_post(post, viewer),
        "is_deleted": post.is_deleted,
        "body": post.body,
        "body_html": post.body_html,
        "created_at": shown_time(post, viewer, post.created_at),
        "edited_at": shown_time(post, viewer, post.edited_at),
        "reactions": counts or {},
        "my_reactions": sorted(mine or ()),
        "moderation_state": post.moderation_state,
        "removal_reason": post.removal_reason if is_own_post(post, viewer) else "",
        "health_warning": post.has_misinformation_label,
        "hidden_reason": _blocked_reply_reason(post, viewer),
    }


def node_out(node: PostNode, viewer) -> dict:
    data = post_out(node.post, viewer, node.reaction_counts, node.my_reactions)
    if node.placeholder:
        # Kept only for the answers hanging below it: nothing of it is shown.
        data.update(author=None, author_label="", body="", body_html="", is_deleted=True)
    return data


def thread_summary_out(thread: Thread, viewer) -> dict:
    opening = thread.first_post
    tags = [tag.slug for tag in thread.tags.all()]
    hidden = viewer_filters(viewer).hidden_reason(
        themes=thread.themes, tags=tags, author_id=opening.author_id,
        is_anonymous=opening.is_anonymous,
    )  # fmt: skip
    return {
        "id": thread.public_id,
        "community": thread.community.slug,
        "title": thread.title,
        "content_warning": thread.content_warning,
        "tags": tags,
        "author": None if opening.is_deleted else author_out(opening, viewer),
        "author_label": "" if opening.is_deleted else author_label(opening, viewer),
        "is_anonymous": opening.is_anonymous,
        "created_at": shown_time(opening, viewer, thread.created_at),
        "last_activity_at": coarse_time(thread.last_activity_at),
        "reply_count": thread.reply_count,
        "is_locked": thread.is_locked,
        "is_pinned": thread.is_pinned,
        "is_deleted": thread.is_deleted,
        "themes": thread.themes,
        "hidden_reason": hidden or None,
    }


def _thread_page(queryset, request: HttpRequest, page: int) -> dict:
    items, meta = paginate(queryset, page)
    return {**meta, "items": [thread_summary_out(t, request.user) for t in items]}


@router.get("/feed", response=ThreadPageOut, summary="Home feed of joined communities")
def feed(request: HttpRequest, sort: SortName = FeedSort.NEW, page: PageNumber = 1):
    return _thread_page(home_feed(request.user, sort), request, page)


@router.get("/communities/{slug}/threads", response=ThreadPageOut)
def list_community_threads(
    request: HttpRequest,
    slug: str,
    sort: SortName = FeedSort.NEW,
    tag: str = "",
    page: PageNumber = 1,
):
    community = access_community_by_slug(request.user, slug)
    return _thread_page(community_threads(community, request.user, sort, tag[:40]), request, page)


@router.post("/communities/{slug}/threads", response={201: ThreadOut})
def create_thread(request: HttpRequest, slug: str, payload: ThreadIn):
    community = access_community_by_slug(request.user, slug)
    check_create_thread(request.actor, community, body=payload.body)
    thread = actions.do_create_thread(
        community,
        title=payload.title,
        body=payload.body,
        content_warning=payload.content_warning,
        tags=actions.parse_tags(payload.tags),
        is_anonymous=payload.is_anonymous,
        send_for_review=payload.send_for_review,
        acting_user=request.user,
    )
    record_write(request.actor, "thread")
    detail = _thread_detail(request, thread.public_id)
    detail["opening_post"]["support"] = support_out(request.user, thread.first_post)
    return Status(201, detail)


def _thread_detail(request: HttpRequest, thread_id: str, *, reading: bool = False) -> dict:
    thread = access_thread_by_id(request.user, thread_id)
    if reading:  # opening a thread counts as reading it (trust levels); posting one does not
        do_record_thread_read(thread, acting_user=request.user)
    opening = thread.first_post
    counts, mine = reaction_summary(opening, request.user)
    return {
        **thread_summary_out(thread, request.user),
        "opening_post": post_out(opening, request.user, counts, mine),
        "is_subscribed": thread.subscriptions.filter(user=request.user).exists(),
        "can_moderate": is_community_moderator(request.user, thread.community),
    }


@router.get("/threads/{thread_id}", response=ThreadOut)
def get_thread(request: HttpRequest, thread_id: str):
    return _thread_detail(request, thread_id, reading=True)


@router.get("/threads/{thread_id}/replies", response=RepliesPageOut)
def list_replies(request: HttpRequest, thread_id: str, page: PageNumber = 1):
    thread = access_thread_by_id(request.user, thread_id)
    thread_page = load_thread_page(thread, request.user, page)
    items: list[dict] = []

    def walk(node: PostNode) -> None:
        items.append(node_out(node, request.user))
        for child in node.children:
            walk(child)

    for root in thread_page.replies:
        walk(root)
    paginator = thread_page.page.paginator
    return {
        "count": paginator.count,
        "page": thread_page.page.number,
        "num_pages": paginator.num_pages,
        "items": items,
    }


@router.post("/threads/{thread_id}/replies", response={201: PostOut})
def create_reply(request: HttpRequest, thread_id: str, payload: ReplyIn):
    thread = access_thread_by_id(request.user, thread_id)
    parent = access_post_by_id(request.user, payload.parent_id) if payload.parent_id else None
    check_reply_to_thread(request.actor, thread, parent, body=payload.body)
    post = actions.do_create_reply(
        thread,
        body=payload.body,
        parent=parent,
        is_anonymous=payload.is_anonymous,
        send_for_review=payload.send_for_review,
        acting_user=request.user,
    )
    record_write(request.actor, "reply")
    return Status(201, {**post_out(post, request.user), "support": support_out(request.user, post)})


@router.patch("/posts/{post_id}", response=PostOut)
def edit_post(request: HttpRequest, post_id: str, payload: PostEditIn):
    post = access_post_by_id(request.user, post_id)
    check_edit_post(request.actor, post, body=payload.body)
    extra = {}
    if post.is_opening_post:
        extra = {
            "title": payload.title,
            "content_warning": payload.content_warning,
            "tags": actions.parse_tags(payload.tags) if payload.tags is not None else None,
        }
    actions.do_edit_post(
        post,
        body=payload.body,
        **extra,
        send_for_review=payload.send_for_review,
        acting_user=request.user,
    )
    counts, mine = reaction_summary(post, request.user)
    return post_out(post, request.user, counts, mine)


@router.delete("/posts/{post_id}", response={204: None})
def delete_post(request: HttpRequest, post_id: str):
    post = access_post_by_id(request.user, post_id)
    check_delete_post(request.actor, post)
    actions.do_delete_post(post, acting_user=request.user)
    return Status(204, None)


@router.post("/posts/{post_id}/reactions", response=ReactionOut, summary="Toggle a reaction")
def toggle_reaction(request: HttpRequest, post_id: str, payload: ReactionIn):
    post = access_post_by_id(request.user, post_id)
    check_react_to_post(request.actor, post)
    reacted = actions.do_toggle_reaction(post, payload.kind, acting_user=request.user)
    counts, _ = reaction_summary(post, request.user)
    return {"kind": payload.kind, "reacted": reacted, "reactions": counts}


@router.patch("/threads/{thread_id}/moderation", response=ThreadSummaryOut)
def moderate_thread(request: HttpRequest, thread_id: str, payload: ModerationIn):
    thread = access_thread_by_id(request.user, thread_id)
    check_moderate_thread(request.actor, thread)
    if payload.is_locked is not None:
        actions.do_set_thread_locked(thread, payload.is_locked, acting_user=request.user)
    if payload.is_pinned is not None:
        actions.do_set_thread_pinned(thread, payload.is_pinned, acting_user=request.user)
    return thread_summary_out(thread, request.user)


@router.put("/threads/{thread_id}/subscription", response=SubscriptionOut)
def subscribe(request: HttpRequest, thread_id: str):
    thread = access_thread_by_id(request.user, thread_id)
    check_set_subscription(request.actor, thread)
    actions.do_set_subscription(thread, True, acting_user=request.user)
    return {"subscribed": True}


@router.delete("/threads/{thread_id}/subscription", response=SubscriptionOut)
def unsubscribe(request: HttpRequest, thread_id: str):
    thread = access_thread_by_id(request.user, thread_id)
    check_set_subscription(request.actor, thread)
    actions.do_set_subscription(thread, False, acting_user=request.user)
    return {"subscribed": False}
