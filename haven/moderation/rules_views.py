"""Moderators' rules pages: watched words site-wide (/moderation/rules/, admins) and per
community (/c/<slug>/moderation/rules/, its moderators), with a community's limits, trying a
rule on a sample and on recent posts before saving (htmx or a plain form post), and a thread's
slow mode from the thread page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.communities.models import Community, WatchedWord
from haven.communities.permissions import access_community_by_slug
from haven.core.text import render_markdown
from haven.forums.permissions import access_thread_by_id
from haven.moderation import rules_actions as rules
from haven.moderation.rules_forms import CommunityLimitsForm, SlowModeForm, WatchedWordForm


def _scope(request: HttpRequest, slug: str | None) -> Community | None:
    community = access_community_by_slug(request.user, slug) if slug else None
    rules.check_view_rules(request.user, community)
    return community


def _rules_url(community: Community | None) -> str:
    if community is None:
        return reverse("moderation:rules")
    return reverse("moderation:community_rules", args=[community.slug])


def _tried(form: WatchedWordForm, community: Community | None) -> dict:
    """What the unsaved rule in a valid form does to its sample and to recent posts."""
    rule = WatchedWord(community=community, **form.rule_changes())
    sample = form.cleaned_data.get("sample", "")
    outcome = rules.try_on_sample(rule, sample) if sample else None
    return {
        "tried": True,
        "tried_rule": rule,
        "sample": sample,
        "outcome": outcome,
        # As members would read it: posts are Markdown (a link rule's link is a link).
        "outcome_html": render_markdown(outcome.text) if outcome else "",
        "matches": rules.preview_matches(rule, community),
        "preview_size": rules.PREVIEW_POSTS,
    }


def _page(request: HttpRequest, community: Community | None, **context) -> dict:
    return {
        "community": community,
        "rules_url": _rules_url(community),
        "try_url": (
            reverse("moderation:community_rules_try", args=[community.slug])
            if community
            else reverse("moderation:rules_try")
        ),
        **context,
    }


def _save_rule(
    request: HttpRequest, form: WatchedWordForm, rule: WatchedWord, community: Community | None
) -> HttpResponse:
    rules.check_change_rules(request.actor, community)
    created = rule.pk is None
    rules.do_save_watched_word(rule, form.rule_changes(), acting_user=request.user)
    messages.success(request, _("The rule is added.") if created else _("The rule is saved."))
    return redirect(_rules_url(community))


@login_required
@require_http_methods(["GET", "POST"])
def rules_page(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """The list of rules in this scope and a form to add one ("Try it" shows, "Add" saves)."""
    community = _scope(request, slug)
    form = WatchedWordForm(request.POST or None)
    extra: dict = {}
    if request.method == "POST" and form.is_valid():
        if "try" not in request.POST:
            return _save_rule(request, form, WatchedWord(community=community), community)
        extra = _tried(form, community)
    context = _page(
        request,
        community,
        form=form,
        rules=rules.rules_in_scope(community),
        limits_form=(
            CommunityLimitsForm(instance=rules.limits_of(community)) if community else None
        ),
        **extra,
    )
    status = 422 if request.method == "POST" and form.errors else 200
    return render(request, "moderation/rules.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, rule_id: int, slug: str | None = None) -> HttpResponse:
    community = _scope(request, slug)
    rule = rules.access_watched_word_by_id(request.user, rule_id, community)
    form = WatchedWordForm(request.POST or None, instance=rule)
    extra: dict = {}
    if request.method == "POST" and form.is_valid():
        if "try" not in request.POST:
            return _save_rule(request, form, rule, community)
        extra = _tried(form, community)
    context = _page(request, community, form=form, rule=rule, **extra)
    status = 422 if request.method == "POST" and form.errors else 200
    return render(request, "moderation/rules_edit.html", context, status=status)


@login_required
@require_POST
def rule_delete(request: HttpRequest, rule_id: int, slug: str | None = None) -> HttpResponse:
    community = _scope(request, slug)
    rule = rules.access_watched_word_by_id(request.user, rule_id, community)
    rules.check_change_rules(request.actor, community)
    rules.do_delete_watched_word(rule, acting_user=request.user)
    messages.success(request, _("The rule is removed."))
    return redirect(_rules_url(community))


@login_required
@require_POST
def rule_try(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """htmx's "Try it": the results alone (or the form's errors), nothing saved."""
    community = _scope(request, slug)
    form = WatchedWordForm(request.POST)
    context = _page(request, community, form=form)
    if form.is_valid():
        context |= _tried(form, community)
    return render(request, "moderation/rules_try.html", context)


@login_required
@require_POST
def community_limits(request: HttpRequest, slug: str) -> HttpResponse:
    community = _scope(request, slug)
    rules.check_change_rules(request.actor, community)
    form = CommunityLimitsForm(request.POST, instance=rules.limits_of(community))
    if form.is_valid():
        rules.do_save_community_limits(community, form.limit_changes(), acting_user=request.user)
        messages.success(
            request, _("%(community)s's limits are saved.") % {"community": community.name}
        )
        return redirect(_rules_url(community))
    context = _page(
        request,
        community,
        form=WatchedWordForm(),
        rules=rules.rules_in_scope(community),
        limits_form=form,
    )
    return render(request, "moderation/rules.html", context, status=422)


@login_required
@require_POST
def thread_slow_mode(request: HttpRequest, thread_id: str) -> HttpResponse:
    thread = access_thread_by_id(request.user, thread_id)
    rules.check_set_slow_mode(request.actor, thread)
    form = SlowModeForm(request.POST)
    if form.is_valid():
        seconds = form.cleaned_data["seconds"]
        rules.do_set_thread_slow_mode(thread, seconds, acting_user=request.user)
        label = str(dict(rules.SLOW_MODE_CHOICES)[seconds]).lower()
        messages.success(
            request,
            _("Slow mode is off.")
            if not seconds
            else _("Slow mode is on: one reply every %(interval)s.") % {"interval": label},
        )
    else:
        messages.error(request, _("Please choose one of the slow mode options."))
    return redirect(thread)
