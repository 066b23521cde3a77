from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.communities.permissions import access_community_by_slug
from haven.core.pagination import page_of
from haven.forums.permissions import access_thread_by_id
from haven.matching import people, suggestions
from haven.matching.forms import AboutForm, PeerProfileForm
from haven.matching.hybrid import SearchMode
from haven.matching.models import Namespace, PeerProfile
from haven.matching.permissions import (
    check_ask_suggestions,
    check_join_peer_matching,
    check_leave_peer_matching,
)
from haven.matching.search import (
    QUERY_MAX_LENGTH,
    SearchResults,
    SearchScope,
    add_excerpts,
    group_by_thread,
    load_results,
    search,
)
from haven.matching.vectors import stored_vectors
from haven.safety.screening import TextNeedsReviewChoice, TextRefused

DRAFT_MIN_CHARS = 25  # shorter drafts say too little to suggest anything useful
DRAFT_MAX_CHARS = 3000


@login_required
@require_http_methods(["GET", "POST"])
def connect(request: HttpRequest) -> HttpResponse:
    """People who have been through something similar, and the member's own opt-in."""
    profile = PeerProfile.objects.filter(member=request.user).first()
    # Two forms on one page, both posted: a text about oneself never goes in a URL (and so
    # never in an access log).
    looking = request.method == "POST" and request.POST.get("action") == "look"
    joining = request.method == "POST" and not looking
    form = PeerProfileForm(
        request.POST if joining else None,
        initial={"experience": profile.experience if profile else ""},
    )
    if joining and form.is_valid():
        check_join_peer_matching(request.actor)
        try:
            people.do_join_peer_matching(request.user, **form.cleaned_data)
        except (TextRefused, TextNeedsReviewChoice) as problem:
            form.add_error("experience", str(problem))
        else:
            messages.success(
                request,
                _(
                    "You can now be suggested to people going through something similar. "
                    "You can stop this at any time."
                ),
            )
            return redirect("matching:connect")
    about_form = AboutForm(request.POST if looking else None)
    about = about_form.cleaned_data["about"] if looking and about_form.is_valid() else ""
    found = None
    if about:
        check_ask_suggestions(request.actor)
        found = suggestions.suggestions_for_text(request.user, about)
    elif profile is not None:
        # The member's own vector (their profile and public posts) stands for "someone like me".
        own = stored_vectors(Namespace.PERSON, [request.user.pk]).get(request.user.pk)
        if own is not None:
            text = "\n".join([request.user.bio, profile.experience])
            found = suggestions.SuggestionSet(
                people=suggestions.people_who_have_been_through_this(
                    request.user, text, vector=own, limit=5
                )
            )
    return render(
        request,
        "matching/connect.html",
        {
            "profile": profile,
            "form": form,
            "about_form": about_form,
            "about": about,
            "found": found,
        },
        status=422 if joining or (looking and about_form.errors) else 200,
    )


@login_required
@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    check_leave_peer_matching(request.actor)
    if people.do_leave_peer_matching(request.user):
        messages.success(
            request, _("Done: you won't be suggested to anyone, and what described you is deleted.")
        )
    return redirect("matching:connect")


@login_required
@require_GET
def thread_suggestions(request: HttpRequest, thread_id: str) -> HttpResponse:
    """Beside a thread: similar threads for everyone; for its author, also communities,
    resources and people who have been through something similar."""
    thread = access_thread_by_id(request.user, thread_id)
    found, is_author = suggestions.suggestions_for_thread(request.user, thread)
    return render(
        request,
        "matching/_thread_suggestions.html",
        {"found": found, "is_author": is_author, "thread": thread},
    )


@login_required
@require_POST
def draft_suggestions(request: HttpRequest) -> HttpResponse:
    """While a thread is being written. The draft is used for this answer only: posted (so not
    in any URL or access log), not stored, not cached."""
    text = "\n".join(
        request.POST.get(name, "")[:DRAFT_MAX_CHARS] for name in ("title", "body")
    ).strip()
    if len(text) < DRAFT_MIN_CHARS:
        return render(request, "matching/_draft_suggestions.html", {"found": None})
    check_ask_suggestions(request.actor)
    community_id = None
    if slug := request.POST.get("community", "")[:50]:
        community_id = access_community_by_slug(request.user, slug).pk
    found = suggestions.suggestions_for_draft(request.user, text, community_id=community_id)
    return render(request, "matching/_draft_suggestions.html", {"found": found})


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
    scope = request.GET.get("in", SearchScope.ALL)
    if scope not in dict(SearchScope.CHOICES):
        scope = SearchScope.ALL
    mode = request.GET.get("mode", SearchMode.HYBRID)
    if mode not in SearchMode.VALUES:
        mode = SearchMode.HYBRID
    results = SearchResults()
    if query:
        results = group_by_thread(search(query, request.user, scope, mode))
    page = page_of(request, results)
    page.object_list = load_results(list(page.object_list))  # only the page's posts are loaded
    add_excerpts(page.object_list, query)
    return render(
        request,
        "matching/search.html",
        {
            "query": query, "scope": scope, "scopes": SearchScope.CHOICES, "page": page,
            "mode": mode, "modes": SearchMode.CHOICES, "capped": results.capped,
        },
    )  # fmt: skip
