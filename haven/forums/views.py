from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from haven.accounts.gates import WriteRefused, record_write
from haven.communities.models import Membership
from haven.communities.permissions import access_community_by_slug, is_community_moderator
from haven.core.error_pages import render_refused_form
from haven.core.keyset import keyset_page
from haven.forums import actions
from haven.forums.forms import EditReplyForm, EditThreadForm, ReplyForm, ThreadForm
from haven.forums.models import Reaction, Subscription
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
    community_threads,
    home_feed,
    load_thread_page,
    reaction_summary,
    waiting_threads,
)
from haven.forums.reading import do_record_thread_read
from haven.safety.screening import TextNeedsReviewChoice, TextRefused
from haven.safety.support import tell_writer


def _sort_from(request: HttpRequest, default: str = FeedSort.NEW) -> str:
    sort = request.GET.get("sort", default)
    return sort if sort in dict(FeedSort.CHOICES) else default


@login_required
def home(request: HttpRequest) -> HttpResponse:
    sort = _sort_from(request)
    has_joined = request.user.memberships.exists()  # asked once for the page's three uses
    feed = home_feed(request.user, sort, has_joined=has_joined)
    page = keyset_page(request, feed, settings.HAVEN_PAGE_SIZE)
    return render(
        request,
        "forums/home.html",
        {
            "page": page,
            "sort": sort,
            "sorts": FeedSort.CHOICES,
            "page_query": urlencode({"sort": sort}),
            "has_joined": has_joined,
            "waiting": (
                []
                if sort == FeedSort.NEEDS_SUPPORT
                else waiting_threads(request.user, shown=page.object_list, has_joined=has_joined)
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_thread(request: HttpRequest, slug: str) -> HttpResponse:
    community = access_community_by_slug(request.user, slug)
    form = ThreadForm(request.POST or None)
    try:
        check_create_thread(request.actor, community, body=form.data.get("body", ""))
    except WriteRefused as refusal:
        context = {"community": community, "form": form, "nudge": False}
        return render_refused_form(request, "forums/new_thread.html", context, refusal)
    nudge = False
    if request.method == "POST" and form.is_valid():
        try:
            thread = actions.do_create_thread(
                community, **form.cleaned_data, acting_user=request.user
            )
        except TextRefused as refused:
            form.add_error(None, str(refused))
        except TextNeedsReviewChoice:
            nudge = True
        else:
            record_write(request.actor, "thread")
            if thread.first_post.is_visible:
                messages.success(request, gettext("Your thread is posted. Thank you for sharing."))
            tell_writer(request, thread.first_post)
            return redirect(thread)
    return render(
        request,
        "forums/new_thread.html",
        {"community": community, "form": form, "nudge": nudge},
        status=422 if request.method == "POST" else 200,
    )


@login_required
def thread_detail(request: HttpRequest, slug: str, thread_id: str) -> HttpResponse:
    thread = access_thread_by_id(request.user, thread_id, community_slug=slug)
    do_record_thread_read(thread, acting_user=request.user)
    thread_page = load_thread_page(thread, request.user, request.GET.get("page"))
    return render(
        request,
        "forums/thread.html",
        {
            "thread": thread,
            "community": thread.community,
            "tags": list(thread.tags.all()),
            "thread_page": thread_page,
            "reply_form": ReplyForm(),
            "can_moderate": is_community_moderator(request.user, thread.community),
            "is_subscribed": Subscription.objects.filter(thread=thread, user=request.user).exists(),
        },
    )


@login_required
@require_POST
def reply(request: HttpRequest, slug: str, thread_id: str) -> HttpResponse:
    thread = access_thread_by_id(request.user, thread_id, community_slug=slug)
    form = ReplyForm(request.POST)
    parent = None
    if form.is_valid() and form.cleaned_data["parent"]:
        parent = access_post_by_id(request.user, form.cleaned_data["parent"])
    try:
        check_reply_to_thread(request.actor, thread, parent, body=form.data.get("body", ""))
    except WriteRefused as refusal:
        context = {"thread": thread, "form": form, "nudge": False}
        return render_refused_form(request, "forums/reply_error.html", context, refusal)
    nudge = False
    if form.is_valid():
        try:
            post = actions.do_create_reply(
                thread,
                body=form.cleaned_data["body"],
                parent=parent,
                is_anonymous=form.cleaned_data["is_anonymous"],
                send_for_review=form.cleaned_data["send_for_review"],
                acting_user=request.user,
            )
        except TextRefused as refused:
            form.add_error(None, str(refused))
        except TextNeedsReviewChoice:
            nudge = True
        else:
            record_write(request.actor, "reply")
            if post.is_visible:
                messages.success(request, gettext("Your reply is posted."))
            tell_writer(request, post)
            return redirect(f"{thread.get_absolute_url()}#post-{post.public_id}")
    return render(
        request,
        "forums/reply_error.html",
        {"thread": thread, "form": form, "nudge": nudge},
        status=400 if not nudge and form.errors and "body" in form.errors else 422,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_post(request: HttpRequest, post_id: str) -> HttpResponse:
    post = access_post_by_id(request.user, post_id)
    check_edit_post(request.actor, post, body=request.POST.get("body", ""))
    thread = post.thread
    if post.is_opening_post:
        initial = {
            "title": thread.title,
            "body": post.body,
            "content_warning": thread.content_warning,
            "tags": ", ".join(thread.tags.values_list("slug", flat=True)),
        }
        form = EditThreadForm(request.POST or None, initial=initial)
    else:
        form = EditReplyForm(request.POST or None, initial={"body": post.body})
    nudge = False
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_edit_post(post, **form.cleaned_data, acting_user=request.user)
        except TextRefused as refused:
            form.add_error(None, str(refused))
        except TextNeedsReviewChoice:
            nudge = True
        else:
            messages.success(request, gettext("Your changes are saved."))
            tell_writer(request, post)
            return redirect(f"{thread.get_absolute_url()}#post-{post.public_id}")
    return render(
        request,
        "forums/edit_post.html",
        {"form": form, "post": post, "thread": thread, "nudge": nudge},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete_post(request: HttpRequest, post_id: str) -> HttpResponse:
    post = access_post_by_id(request.user, post_id)
    check_delete_post(request.actor, post)
    if request.method == "POST":
        actions.do_delete_post(post, acting_user=request.user)
        messages.success(request, gettext("The post is deleted."))
        if post.is_opening_post:
            return redirect(post.thread.community)
        return redirect(post.thread)
    return render(request, "forums/delete_post.html", {"post": post, "thread": post.thread})


@login_required
@require_POST
def moderate_thread(request: HttpRequest, thread_id: str, action: str) -> HttpResponse:
    thread = access_thread_by_id(request.user, thread_id)
    check_moderate_thread(request.actor, thread)
    if action in ("lock", "unlock"):
        actions.do_set_thread_locked(thread, action == "lock", acting_user=request.user)
        messages.success(
            request,
            gettext("The thread is locked.")
            if action == "lock"
            else gettext("The thread is unlocked."),
        )
    elif action in ("pin", "unpin"):
        actions.do_set_thread_pinned(thread, action == "pin", acting_user=request.user)
        messages.success(
            request,
            gettext("The thread is pinned.")
            if action == "pin"
            else gettext("The thread is unpinned."),
        )
    else:
        raise Http404("No such action.")
    return redirect(thread)


@login_required
@require_POST
def react(request: HttpRequest, post_id: str, kind: str) -> HttpResponse:
    post = access_post_by_id(request.user, post_id)
    if kind not in Reaction.Kind.values:
        raise Http404("No such reaction.")
    check_react_to_post(request.actor, post)
    actions.do_toggle_reaction(post, kind, acting_user=request.user)
    if request.htmx:
        counts, mine = reaction_summary(post, request.user)
        return render(
            request, "forums/_reactions.html", {"post": post, "counts": counts, "mine": mine}
        )
    return redirect(f"{post.thread.get_absolute_url()}#post-{post.public_id}")


@login_required
@require_POST
def subscribe(request: HttpRequest, thread_id: str) -> HttpResponse:
    thread = access_thread_by_id(request.user, thread_id)
    subscribed = request.POST.get("subscribed") == "yes"
    check_set_subscription(request.actor, thread)
    actions.do_set_subscription(thread, subscribed, acting_user=request.user)
    messages.success(
        request,
        gettext("You'll be told about new replies.")
        if subscribed
        else gettext("You won't be told about replies."),
    )
    return redirect(thread)


@login_required
def community_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A community's front page: its threads (sorted, filtered by tag), who moderates it."""
    community = access_community_by_slug(request.user, slug)
    sort = _sort_from(request)
    tag = request.GET.get("tag", "")[:40]
    threads = community_threads(community, request.user, sort, tag)
    page = keyset_page(request, threads, settings.HAVEN_PAGE_SIZE)
    membership = Membership.objects.filter(community=community, user=request.user).first()
    moderators = Membership.objects.filter(
        community=community, role=Membership.Role.MODERATOR
    ).select_related("user")
    return render(
        request,
        "forums/community.html",
        {
            "community": community,
            "page": page,
            "sort": sort,
            "sorts": FeedSort.CHOICES,
            "tag": tag,
            "page_query": urlencode({"sort": sort, **({"tag": tag} if tag else {})}),
            "membership": membership,
            "moderators": moderators,
            "member_count": community.memberships.count(),
            "can_moderate": is_community_moderator(request.user, community),
            "waiting": (
                []
                if sort == FeedSort.NEEDS_SUPPORT
                else waiting_threads(request.user, community, shown=page.object_list)
            ),
        },
    )
