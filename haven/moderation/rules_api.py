"""Moderators' rules in the JSON API: watched words (list, add, change, remove, try), a
community's limits and a thread's slow mode. The same checks and actions as the pages
(haven.moderation.rules_views)."""

from datetime import datetime
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from haven.accounts.api_auth import member_auth
from haven.communities.models import Community, WatchedWord
from haven.communities.permissions import access_community_by_slug
from haven.communities.rules import check_pattern, check_resource_url
from haven.core.api_schemas import InputSchema, MemberText, PlainText, PublicId
from haven.forums.permissions import access_thread_by_id
from haven.moderation import rules_actions as rules

router = Router(auth=member_auth, tags=["moderation"])

Kind = Literal[tuple(WatchedWord.Kind.values)]  # type: ignore[valid-type]
Action = Literal[tuple(WatchedWord.Action.values)]  # type: ignore[valid-type]
CommunitySlug = PlainText(50, pattern=r"^[-a-zA-Z0-9_]+$")
SlowModeSeconds = Literal[tuple(seconds for seconds, _ in rules.SLOW_MODE_CHOICES)]  # type: ignore[valid-type]


class WatchedWordOut(Schema):
    id: int
    community: str | None = Field(description="The community's slug; null for site-wide.")
    kind: str
    pattern: str
    action: str
    resource_url: str
    resource_title: str
    note: str
    created_at: datetime
    updated_at: datetime


class WatchedWordIn(InputSchema):
    community: CommunitySlug | None = Field(
        default=None, description="A community's slug (its moderators); null: site-wide (admins)."
    )
    kind: Kind = "word"
    pattern: MemberText(200)
    action: Action
    resource_url: PlainText(200) = Field(
        default="", description='For "link": a wellness library page, like /library/breathing/.'
    )
    resource_title: MemberText(120, required=False) = ""
    note: MemberText(200, required=False) = ""


class WatchedWordChangeIn(InputSchema):
    kind: Kind | None = None
    pattern: MemberText(200) | None = None
    action: Action | None = None
    resource_url: PlainText(200) | None = None
    resource_title: MemberText(120, required=False) | None = None
    note: MemberText(200, required=False) | None = None


class WatchedWordTryIn(WatchedWordIn):
    sample: MemberText(2000, required=False) = ""


class OutcomeOut(Schema):
    text: str = Field(description="The sample as it would be stored.")
    refused: str | None = Field(description="The message the writer would see, if blocked.")
    hold: bool
    flagged: list[str]


class PreviewMatchOut(Schema):
    where: str
    url: str
    excerpt: str
    match: str
    not_public: bool


class WatchedWordTryOut(Schema):
    outcome: OutcomeOut | None = Field(description="What the rule does to the sample, if any.")
    matches: list[PreviewMatchOut] = Field(
        description="Recent posts (the last 200 there; site-wide also public updates) the rule "
        "would have matched, newest first."
    )


class LimitsIn(InputSchema):
    approve_first_posts: int = Field(default=0, ge=0, le=20)
    threads_per_hour: int | None = Field(default=None, ge=1, le=100)
    replies_per_hour: int | None = Field(default=None, ge=1, le=500)


class LimitsOut(Schema):
    community: str
    approve_first_posts: int
    threads_per_hour: int | None
    replies_per_hour: int | None


class SlowModeIn(InputSchema):
    slow_mode_seconds: SlowModeSeconds = Field(  # type: ignore[valid-type]
        description="Seconds a member waits between replies in the thread; 0 turns it off."
    )


class SlowModeOut(Schema):
    thread: str
    slow_mode_seconds: int


def _rule_out(rule: WatchedWord) -> dict:
    return {
        "id": rule.pk,
        "community": rule.community.slug if rule.community_id else None,
        **{field: getattr(rule, field) for field in rules.RULE_FIELDS},
        "created_at": rule.created_at,
        "updated_at": rule.updated_at,
    }


def _scope(request: HttpRequest, slug: str | None) -> Community | None:
    community = access_community_by_slug(request.user, slug) if slug else None
    rules.check_view_rules(request.user, community)
    return community


def _access_rule(request: HttpRequest, rule_id: int) -> WatchedWord:
    """404 for a rule elsewhere, as for a missing one."""
    rule = WatchedWord.objects.select_related("community").filter(pk=rule_id).first()
    if rule is None or not rules.can_manage_watched_words(request.user, rule.community):
        raise Http404("No such rule.")
    return rule


def _validated(fields: dict) -> dict:
    """The pages' checks (the form's): a readable, safe pattern and, for links, a library page."""
    if fields["kind"] != WatchedWord.Kind.REGEX:
        fields["pattern"] = " ".join(fields["pattern"].split())
    check_pattern(fields["kind"], fields["pattern"])
    if fields["action"] == WatchedWord.Action.LINK:
        check_resource_url(fields["resource_url"])
    return fields


@router.get("/moderation/rules", response=list[WatchedWordOut])
def list_watched_words(request: HttpRequest, community: CommunitySlug | None = None):
    """Site-wide watched words (admins), or one community's (its moderators)."""
    scope = _scope(request, community)
    return [_rule_out(rule) for rule in rules.rules_in_scope(scope).select_related("community")]


@router.post("/moderation/rules", response={201: WatchedWordOut})
def add_watched_word(request: HttpRequest, payload: WatchedWordIn):
    scope = _scope(request, payload.community)
    rules.check_change_rules(request.actor, scope)
    fields = _validated(payload.dict(exclude={"community"}))
    rule = rules.do_save_watched_word(
        WatchedWord(community=scope), fields, acting_user=request.user
    )
    return Status(201, _rule_out(rule))


@router.patch("/moderation/rules/{int:rule_id}", response=WatchedWordOut)
def change_watched_word(request: HttpRequest, rule_id: int, payload: WatchedWordChangeIn):
    rule = _access_rule(request, rule_id)
    rules.check_change_rules(request.actor, rule.community)
    changes = {key: value for key, value in payload.dict().items() if value is not None}
    fields = _validated({field: getattr(rule, field) for field in rules.RULE_FIELDS} | changes)
    rule = rules.do_save_watched_word(rule, fields, acting_user=request.user)
    return _rule_out(rule)


@router.delete("/moderation/rules/{int:rule_id}", response={204: None})
def remove_watched_word(request: HttpRequest, rule_id: int):
    rule = _access_rule(request, rule_id)
    rules.check_change_rules(request.actor, rule.community)
    rules.do_delete_watched_word(rule, acting_user=request.user)
    return Status(204, None)


@router.post("/moderation/rules/try", response=WatchedWordTryOut)
def try_watched_word(request: HttpRequest, payload: WatchedWordTryIn):
    """What a rule would do, before it is saved: to `sample`, and to recent posts. Saves nothing."""
    scope = _scope(request, payload.community)
    fields = _validated(payload.dict(exclude={"community", "sample"}))
    rule = WatchedWord(community=scope, **fields)
    outcome = rules.try_on_sample(rule, payload.sample) if payload.sample else None
    return {
        "outcome": None if outcome is None else outcome.__dict__,
        "matches": [
            {
                "where": m.where,
                "url": m.url,
                "excerpt": f"{m.before}{m.match}{m.after}",
                "match": m.match,
                "not_public": m.held_or_hidden,
            }
            for m in rules.preview_matches(rule, scope)
        ],
    }


@router.put("/communities/{slug}/limits", response=LimitsOut)
def set_community_limits(request: HttpRequest, slug: str, payload: LimitsIn):
    """A new member's first posts wait for approval (0: off); threads and replies a member may
    post an hour (null: no limit). Moderators are never limited."""
    community = _scope(request, slug)
    rules.check_change_rules(request.actor, community)
    limits = rules.do_save_community_limits(community, payload.dict(), acting_user=request.user)
    return {"community": community.slug, **{f: getattr(limits, f) for f in rules.LIMIT_FIELDS}}


@router.put("/threads/{thread_id}/slow-mode", response=SlowModeOut)
def set_thread_slow_mode(request: HttpRequest, thread_id: PublicId, payload: SlowModeIn):
    thread = access_thread_by_id(request.user, thread_id)
    rules.check_set_slow_mode(request.actor, thread)
    rules.do_set_thread_slow_mode(thread, payload.slow_mode_seconds, acting_user=request.user)
    return {"thread": thread.public_id, "slow_mode_seconds": thread.slow_mode_seconds}
