"""Read paths for forums: feeds and the thread page, each in a fixed number of queries."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from haven.accounts.models import User
from haven.communities.models import Community
from haven.core.content import ModerationState
from haven.forums.filters import without_blocked_threads
from haven.forums.models import Post, Reaction, Thread
from haven.forums.permissions import filter_visible_threads


class FeedSort:
    NEW = "new"
    ACTIVE = "active"
    NEEDS_SUPPORT = "needs-support"
    CHOICES = [
        (NEW, pgettext_lazy("feed sort", "New")),
        (ACTIVE, pgettext_lazy("feed sort", "Active")),
        (NEEDS_SUPPORT, pgettext_lazy("feed sort", "Needs support")),
    ]


def sorted_threads(queryset: QuerySet[Thread], sort: str) -> QuerySet[Thread]:
    if sort == FeedSort.ACTIVE:
        return queryset.order_by("-last_activity_at", "-id")
    if sort == FeedSort.NEEDS_SUPPORT:
        # Calls for help with no reply yet, the longest-waiting first, so none sits unanswered.
        since = timezone.now() - timedelta(days=settings.HAVEN_NEEDS_SUPPORT_DAYS)
        return queryset.filter(reply_count=0, created_at__gte=since, is_locked=False).order_by(
            "created_at", "id"
        )
    return queryset.order_by("-created_at", "-id")


def thread_list(viewer: User) -> QuerySet[Thread]:
    # Support shown on the opening post, for its card: one subquery, not a query per card.
    reactions = (
        Reaction.objects.filter(post_id=OuterRef("first_post_id"))
        .order_by()
        .values("post_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        without_blocked_threads(filter_visible_threads(Thread.objects.all(), viewer), viewer)
        .select_related("community", "first_post__author")
        .prefetch_related("tags")
        .annotate(reaction_count=Coalesce(Subquery(reactions), 0))
    )


def home_feed(viewer: User, sort: str, *, has_joined: bool | None = None) -> QuerySet[Thread]:
    """Threads of the communities the viewer joined (all communities until they join one).
    A page that already knows whether the viewer joined any passes ``has_joined``."""
    queryset = thread_list(viewer)
    if viewer.memberships.exists() if has_joined is None else has_joined:
        queryset = queryset.filter(community_id__in=viewer.memberships.values("community_id"))
    return sorted_threads(queryset, sort)


CONTEXT_THREADS = 5


def waiting_threads(
    viewer: User,
    community: Community | None = None,
    *,
    shown: Iterable[Thread] = (),
    has_joined: bool | None = None,
) -> list[Thread]:
    """For the context column: threads still waiting for their first reply, the longest
    waiting first, in one community or the viewer's (all until they join one), leaving out
    those already ``shown`` in the page's own list."""
    queryset = (
        without_blocked_threads(filter_visible_threads(Thread.objects.all(), viewer), viewer)
        .select_related("community", "first_post")  # the author, for the reader's own mutes
        .exclude(pk__in=[thread.pk for thread in shown])
    )
    if community is not None:
        queryset = queryset.filter(community=community)
    elif viewer.memberships.exists() if has_joined is None else has_joined:
        queryset = queryset.filter(community_id__in=viewer.memberships.values("community_id"))
    return list(sorted_threads(queryset, FeedSort.NEEDS_SUPPORT)[:CONTEXT_THREADS])


def community_threads(community: Community, viewer: User, sort: str, tag: str = "") -> QuerySet:
    queryset = thread_list(viewer).filter(community=community)
    if tag:
        queryset = queryset.filter(tags__slug=tag)
    queryset = sorted_threads(queryset, sort)
    if sort != FeedSort.NEEDS_SUPPORT:
        queryset = queryset.order_by("-is_pinned", *queryset.query.order_by)
    return queryset


@dataclass
class PostNode:
    post: Post
    children: list["PostNode"] = field(default_factory=list)
    reaction_counts: dict[str, int] = field(default_factory=dict)
    my_reactions: set[str] = field(default_factory=set)
    placeholder: bool = False  # removed or held, kept only for the answers below it


@dataclass
class ThreadPage:
    opening: PostNode
    replies: list[PostNode]
    page: Page


def load_thread_page(thread: Thread, viewer: User, page_number: str | int | None) -> ThreadPage:
    """The opening post and one page of top-level replies with every reply under them.

    The query count does not depend on how many replies there are: one for the page's
    top-level ids, one for all their posts, one for the reactions (counts and the viewer's own).
    """
    top_level_ids = Post.objects.filter(thread=thread, depth=1).order_by("created_at", "id")
    paginator = Paginator(
        top_level_ids.values_list("id", flat=True), settings.HAVEN_REPLIES_PAGE_SIZE
    )
    page = paginator.get_page(page_number)
    page_ids = list(page.object_list)
    posts = list(
        Post.objects.filter(Q(id__in=page_ids) | Q(root_id__in=page_ids))
        .annotate(author_pseudonym=F("author__pseudonym"))
        .order_by("created_at", "id")
    )
    _attach_authors(posts)
    opening_post = thread.first_post
    # Each post's thread and parent are already here: joined in, they were a third of the
    # page's loading (a full thread and a full parent post built for every reply).
    by_id = {post.pk: post for post in posts} | {opening_post.pk: opening_post}
    for post in posts:
        post.thread = thread
        if post.parent_id in by_id:
            post.parent = by_id[post.parent_id]
    all_ids = [p.pk for p in posts] + [opening_post.pk]
    counts: dict[int, dict[str, int]] = {}
    mine: dict[int, set[str]] = {}
    # Everyone's reactions counted and the viewer's own marked, in one query.
    for post_id, kind, n, own in (
        Reaction.objects.filter(post_id__in=all_ids)
        .values("post_id", "kind")
        .annotate(n=Count("id"), own=Count("id", filter=Q(user_id=viewer.pk)))
        .order_by()
        .values_list("post_id", "kind", "n", "own")
    ):
        counts.setdefault(post_id, {})[kind] = n
        if own:
            mine.setdefault(post_id, set()).add(kind)

    def node(post: Post) -> PostNode:
        return PostNode(post, [], counts.get(post.pk, {}), mine.get(post.pk, set()))

    nodes = {post.pk: node(post) for post in posts}
    roots: list[PostNode] = []
    for post in posts:
        if post.depth == 1:
            roots.append(nodes[post.pk])
        elif post.parent_id in nodes:
            nodes[post.parent_id].children.append(nodes[post.pk])
    return ThreadPage(opening=node(opening_post), replies=_without_hidden(roots, viewer), page=page)


def _attach_authors(posts: list[Post]) -> None:
    """Each post's author as a member with only the pseudonym loaded (any other field loads
    when read), one per person: a page shows a few people, and a full member row joined to
    each of 100 replies was a quarter of loading the page."""
    authors: dict[int, User] = {}
    for post in posts:
        if post.author_id is None:
            continue
        author = authors.get(post.author_id)
        if author is None:
            author = authors[post.author_id] = User.from_db(
                post._state.db, ["id", "pseudonym"], [post.author_id, post.author_pseudonym]
            )
        post.author = author


def _without_hidden(nodes: list[PostNode], viewer: User) -> list[PostNode]:
    """Held or removed replies are shown to their writer; to others they are left out, or
    stand as a placeholder where answers to them hang below."""
    kept = []
    for item in nodes:
        item.children = _without_hidden(item.children, viewer)
        post = item.post
        hidden = post.moderation_state != ModerationState.VISIBLE and post.author_id != viewer.pk
        if hidden:
            if not item.children:
                continue
            item.placeholder = True
        kept.append(item)
    return kept


def reaction_summary(post: Post, viewer: User) -> tuple[dict[str, int], set[str]]:
    counts = dict(post.reactions.values_list("kind").annotate(n=Count("id")).order_by())
    mine = set(post.reactions.filter(user=viewer).values_list("kind", flat=True))
    return counts, mine


def profile_threads(request, member: User) -> dict:
    """A profile's part (haven.accounts.profile_parts): only threads the member started under
    their name; anonymous ones never appear on a profile."""
    threads = (
        filter_visible_threads(
            Thread.objects.filter(first_post__author=member, first_post__is_anonymous=False),
            request.user,
        )
        .select_related("community")
        .order_by("-created_at")[:10]
    )
    return {"threads": threads}


def recent_texts_of(author: User, since: datetime) -> QuerySet:
    """The author's post bodies since then, newest first (the screening's spam check)."""
    return (
        Post.objects.filter(author=author, created_at__gte=since)
        .order_by("-created_at")
        .values_list("body", flat=True)
    )
