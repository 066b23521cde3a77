from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from haven.communities import actions
from haven.communities.permissions import (
    access_community_by_slug,
    check_join_community,
    check_leave_community,
    communities_with_counts,
)
from haven.core.pagination import page_of


@login_required
def community_list(request: HttpRequest) -> HttpResponse:
    joined = set(request.user.memberships.values_list("community_id", flat=True))
    page = page_of(request, communities_with_counts(), per_page=50)
    return render(request, "communities/list.html", {"page": page, "joined": joined})


@login_required
@require_POST
def join(request: HttpRequest, slug: str) -> HttpResponse:
    community = access_community_by_slug(request.user, slug)
    check_join_community(request.actor, community)
    actions.do_join_community(request.user, community)
    messages.success(
        request, gettext("You joined %(community)s. Welcome.") % {"community": community.name}
    )
    return redirect(community)


@login_required
@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    community = access_community_by_slug(request.user, slug)
    check_leave_community(request.actor, community)
    actions.do_leave_community(request.user, community)
    messages.info(
        request,
        gettext("You left %(community)s. You're welcome back any time.")
        % {"community": community.name},
    )
    return redirect(community)
