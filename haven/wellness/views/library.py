from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haven.core.pagination import page_of
from haven.wellness import library
from haven.wellness.forms import ResourceForm, ReviewForm
from haven.wellness.models import Resource, ResourceFavourite
from haven.wellness.permissions import (
    access_resource,
    can_edit_resources,
    can_review_resources,
    check_can_review_resources,
    check_review_library,
    check_set_favourite,
    check_write_library,
)


@login_required
def resource_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    category = request.GET.get("category", "")
    kind = request.GET.get("kind", "")
    resources = library.search_resources(query) if query else list(library.published_resources())
    resources = library.in_reader_language(resources, complete=not query)
    if category in Resource.Category.values:
        resources = [r for r in resources if r.category == category]
    if kind in Resource.Kind.values:
        resources = [r for r in resources if r.kind == kind]
    return render(
        request,
        "wellness/library.html",
        {
            "page": page_of(request, resources),
            "query": query,
            "category": category,
            "kind": kind,
            "categories": Resource.Category.choices,
            "kinds": Resource.Kind.choices,
            "favourite_ids": library.favourite_ids(request.user),
            "can_edit": can_edit_resources(request.user),
            "can_review": can_review_resources(request.user),
        },
    )


@login_required
def resource_detail(request: HttpRequest, slug: str) -> HttpResponse:
    resource = access_resource(request.user, slug)
    return render(
        request,
        "wellness/resource.html",
        {
            "resource": resource,
            "review_status": library.review_status(resource),
            "related": library.related_resources(resource),
            "other_versions": library.other_versions(resource),
            "is_favourite": resource.pk in library.favourite_ids(request.user),
            "can_edit": can_edit_resources(request.user),
            "can_review": can_review_resources(request.user)
            and resource.author_id != request.user.pk,
            "review_form": ReviewForm(),
        },
    )


@login_required
@require_POST
def toggle_favourite(request: HttpRequest, slug: str) -> HttpResponse:
    resource = access_resource(request.user, slug)
    check_set_favourite(request.actor)
    saved = library.do_toggle_favourite(resource, acting_user=request.user)
    messages.success(
        request, _("Saved to your favourites.") if saved else _("Removed from favourites.")
    )
    return redirect(resource)


@login_required
def favourites(request: HttpRequest) -> HttpResponse:
    saved = ResourceFavourite.objects.filter(
        member=request.user, resource__status=Resource.Status.PUBLISHED
    ).select_related("resource")
    return render(request, "wellness/favourites.html", {"page": page_of(request, saved)})


@login_required
def new_resource(request: HttpRequest) -> HttpResponse:
    check_write_library(request.actor)
    form = ResourceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        resource = library.do_create_resource(**form.cleaned_data, acting_user=request.user)
        messages.success(request, _("Draft saved. A reviewer will read it before it is published."))
        return redirect(resource)
    return render(
        request, "wellness/resource_form.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def edit_resource(request: HttpRequest, slug: str) -> HttpResponse:
    check_write_library(request.actor)
    resource = access_resource(request.user, slug)
    form = ResourceForm(request.POST if request.method == "POST" else None, instance=resource)
    if request.method == "POST" and form.is_valid():
        resource = Resource.objects.get(pk=resource.pk)
        library.do_edit_resource(resource, **form.cleaned_data, acting_user=request.user)
        messages.success(request, _("Saved. Changes to the text need a new review."))
        return redirect(resource)
    return render(
        request,
        "wellness/resource_form.html",
        {"form": form, "resource": resource},
        status=400 if form.errors else 200,
    )


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    if not can_review_resources(request.user):
        check_can_review_resources(request.user, Resource())
    # Reviews prefetched: review_status() reads them from the cache, one query for the page.
    resources = (
        Resource.objects.exclude(status=Resource.Status.WITHDRAWN)
        .select_related("author")
        .prefetch_related("reviews")
    )
    waiting = [
        (resource, status)
        for resource in resources
        if not (status := library.review_status(resource)).is_current
    ]
    return render(request, "wellness/review_queue.html", {"waiting": waiting})


@login_required
@require_POST
def review_resource(request: HttpRequest, slug: str) -> HttpResponse:
    resource = access_resource(request.user, slug)
    check_review_library(request.actor, resource)
    form = ReviewForm(request.POST)
    if form.is_valid():
        library.do_review_resource(resource, **form.cleaned_data, acting_user=request.user)
        messages.success(
            request, _("Thank you: your review is recorded and shown on the resource.")
        )
    return redirect(resource)
