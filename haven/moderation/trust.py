"""Trust levels: computed from time here, threads read, kindness received and a clean record,
and held lower for a while after a moderator had to act.

What each level opens is `haven.accounts.trust` (below every app that enforces it); what each
needs is settings.HAVEN_TRUST_REQUIREMENTS. Moderation computes levels because it sits above
forums and updates (reading, reactions) and owns the record (sanctions, removals).

The rules, as the member's trust page states them:
- A member's level is the highest one whose requirements all hold. Once earned it stays: a
  quiet month does not take it away (`do_recompute_trust_levels` only ever raises).
- Only a moderator lowers it, and only for a while, as a cap (`User.trust_level_cap` until
  `trust_level_cap_until`): a mute, a suspension, a ban or a removal of the member's content
  holds them one level below the one they had, for CAP_DAYS days; a moderator may also choose a
  level and a length directly, with a reason. Every cap is in the audit log.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from haven.accounts.actors import Actor
from haven.accounts.gates import check_can_write
from haven.accounts.models import TrustLevel, User
from haven.accounts.trust import CAPABILITIES, effective_level, has_capability, level_needed
from haven.core.content import ModerationState
from haven.forums.models import Reaction
from haven.forums.reading import threads_read_counts
from haven.moderation.models import QueueItem, Sanction
from haven.updates.models import UpdateReaction

# Every reaction Haven offers is support: a hug, a "me too", a thank-you.
HELPFUL_REACTION_KINDS = (Reaction.Kind.HUG, Reaction.Kind.METOO, Reaction.Kind.THANKS)
# A mute, suspension, ban or removal holds the member one level lower for this many days.
CAP_DAYS = 30
# Sanctions that cap the level (a warning is a word, not a cap; it still resets the clean record).
CAPPING_SANCTIONS = (Sanction.Kind.MUTE, Sanction.Kind.SUSPEND, Sanction.Kind.BAN)
# Members recomputed per round of queries by the periodic job.
BATCH_SIZE = 500
MAX_LEVEL = max(TrustLevel.values)

# What each requirement is called on the trust page: (label, how progress reads, with
# %(have)s and %(need)s; the plural follows `need`).
REQUIREMENTS = {
    "days": (
        gettext_lazy("Time here"),
        ngettext_lazy(
            "%(have)s of %(need)s day since you joined",
            "%(have)s of %(need)s days since you joined",
            "need",
        ),
    ),
    "threads_read": (
        gettext_lazy("Reading"),
        ngettext_lazy(
            "%(have)s of %(need)s thread read", "%(have)s of %(need)s threads read", "need"
        ),
    ),
    "helpful_reactions": (
        gettext_lazy("Kindness received"),
        gettext_lazy("%(have)s of %(need)s hugs, me-toos and thank-yous on what you wrote"),
    ),
    "clean_days": (
        gettext_lazy("A calm record"),
        ngettext_lazy(
            "%(have)s of %(need)s day since a moderator last had to step in",
            "%(have)s of %(need)s days since a moderator last had to step in",
            "need",
        ),
    ),
}


@dataclass(frozen=True)
class TrustRecord:
    """What a member's level is computed from, each in whole units."""

    days: int
    threads_read: int
    helpful_reactions: int
    clean_days: int

    def meets(self, needs: dict[str, int]) -> bool:
        return all(getattr(self, name) >= need for name, need in needs.items())


def requirements_for(level: int) -> dict[str, int]:
    return settings.HAVEN_TRUST_REQUIREMENTS.get(level, {})


def earned_level(record: TrustRecord) -> int:
    """The highest level whose requirements all hold (New here needs nothing)."""
    met = [
        level for level, needs in settings.HAVEN_TRUST_REQUIREMENTS.items() if record.meets(needs)
    ]
    return max([TrustLevel.NEW, *met])


def trust_records(users: list[User], now: datetime | None = None) -> dict[int, TrustRecord]:
    """Each member's record, for a whole batch in five queries (whatever its size)."""
    now = now or timezone.now()
    ids = [user.pk for user in users]
    read = threads_read_counts(ids)
    helpful: dict[int, int] = dict.fromkeys(ids, 0)
    for author_id, count in _reactions_received(ids):
        helpful[author_id] += count
    last_step_in = _last_moderator_step_in(ids)
    records = {}
    for user in users:
        joined_days = max(0, (now - user.date_joined).days)
        last = last_step_in.get(user.pk)
        records[user.pk] = TrustRecord(
            days=joined_days,
            threads_read=read.get(user.pk, 0),
            helpful_reactions=helpful[user.pk],
            clean_days=joined_days if last is None else max(0, (now - last).days),
        )
    return records


def _reactions_received(ids: list[int]) -> list[tuple[int, int]]:
    """(author id, reactions) on forum posts and updates that are still up (not removed)."""
    posts = (
        Reaction.objects.filter(post__author_id__in=ids, kind__in=HELPFUL_REACTION_KINDS)
        .exclude(post__moderation_state=ModerationState.REMOVED)
        .values("post__author_id")
        .annotate(count=Count("id"))
        .values_list("post__author_id", "count")
    )
    updates = (
        UpdateReaction.objects.filter(update__author_id__in=ids, kind__in=HELPFUL_REACTION_KINDS)
        .exclude(update__moderation_state=ModerationState.REMOVED)
        .values("update__author_id")
        .annotate(count=Count("id"))
        .values_list("update__author_id", "count")
    )
    return [*posts, *updates]


def _last_moderator_step_in(ids: list[int]) -> dict[int, datetime]:
    """When a moderator last sanctioned each member or removed their words (a removal undone
    on appeal no longer counts: the content is visible again)."""
    last: dict[int, datetime] = dict(
        Sanction.objects.filter(member_id__in=ids)
        .values("member_id")
        .annotate(last=Max("created_at"))
        .values_list("member_id", "last")
    )
    removed = ModerationState.REMOVED
    removals = (
        QueueItem.objects.filter(resolution="removed", resolved_at__isnull=False)
        .filter(
            Q(post__author_id__in=ids, post__moderation_state=removed)
            | Q(update__author_id__in=ids, update__moderation_state=removed)
            | Q(update_reply__author_id__in=ids, update_reply__moderation_state=removed)
        )
        .annotate(author_id=Coalesce("post__author_id", "update__author_id",
                                     "update_reply__author_id"))
        .values("author_id")
        .annotate(last=Max("resolved_at"))
        .values_list("author_id", "last")
    )  # fmt: skip
    for member_id, when in removals:
        if member_id in last and last[member_id] >= when:
            continue
        last[member_id] = when
    return last


def trust_record(user: User) -> TrustRecord:
    return trust_records([user])[user.pk]


# --- The periodic recomputation


def _may_rise(now: datetime) -> Q:
    """Members below the top who have been here long enough for some higher level: the job
    skips everyone else without computing anything."""
    condition = Q(pk__in=[])
    for level in range(MAX_LEVEL):
        higher = [requirements_for(up).get("days", 0) for up in range(level + 1, MAX_LEVEL + 1)]
        if higher:
            joined_before = now - timedelta(days=min(higher))
            condition |= Q(trust_level=level, date_joined__lte=joined_before)
    return condition


def do_recompute_trust_levels(*, batch_size: int = BATCH_SIZE, now: datetime | None = None) -> int:
    """Raise every member whose record now meets a higher level; never lower anyone. Caps that
    ran out are cleared. Returns how many members rose. Per batch: one query for the members,
    five for their records, one for the raises."""
    now = now or timezone.now()
    User.objects.filter(trust_level_cap__isnull=False, trust_level_cap_until__lte=now).update(
        trust_level_cap=None, trust_level_cap_until=None
    )
    candidates = (
        User.objects.filter(is_active=True)
        .filter(_may_rise(now))
        .only("pk", "date_joined", "trust_level")
        .order_by("pk")
    )
    raised = 0
    after = 0
    while True:
        batch = list(candidates.filter(pk__gt=after)[:batch_size])
        if not batch:
            return raised
        after = batch[-1].pk
        records = trust_records(batch, now)
        rising = []
        for user in batch:
            level = earned_level(records[user.pk])
            if level > user.trust_level:
                user.trust_level = level
                rising.append(user)
        if rising:
            User.objects.bulk_update(rising, ["trust_level"])
            raised += len(rising)


def do_grant_trust_level(member: User, level: int) -> None:
    """Raise a member's earned level to at least `level`, as if the job had (the demo community,
    or members brought over from another site). Never lowers: that is a moderator's cap."""
    if level > member.trust_level:
        member.trust_level = level
        User.objects.filter(pk=member.pk).update(trust_level=level)


# --- Caps: how moderation lowers a level, for a while


def cap_in_force(user: User, now: datetime | None = None) -> tuple[int, datetime | None] | None:
    """(capped level, until) while a moderator's cap holds; None otherwise."""
    now = now or timezone.now()
    until = user.trust_level_cap_until
    if user.trust_level_cap is None or (until is not None and until <= now):
        return None
    return user.trust_level_cap, until


def set_trust_cap(member: User, level: int, until: datetime | None) -> dict:
    """Hold the member at most at `level` until `until` (None: until lifted). Returns what
    changed, for the audit row of the decision that caused it (written by the caller, in the
    same transaction)."""
    before = effective_level(member)
    member.trust_level_cap, member.trust_level_cap_until = level, until
    User.objects.filter(pk=member.pk).update(trust_level_cap=level, trust_level_cap_until=until)
    return {
        "member_id": member.pk,  # a removal's audit row names the content, not its author
        "from": before,
        "to": effective_level(member),
        "cap": level,
        "until": until.isoformat() if until else None,
    }


def hold_trust_after_moderation(member: User | None) -> dict | None:
    """The rule for mutes, suspensions, bans and removals: one level below the level the member
    has now, for CAP_DAYS days. A hold already in force stays if it is lower or lasts longer.
    Returns the change for the decision's audit row (None: no member to hold)."""
    if member is None:
        return None
    member.refresh_from_db(fields=["trust_level", "trust_level_cap", "trust_level_cap_until"])
    now = timezone.now()
    level = max(TrustLevel.NEW, effective_level(member) - 1)
    until: datetime | None = now + timedelta(days=CAP_DAYS)
    if (current := cap_in_force(member, now)) is not None:
        level = min(level, current[0])
        until = None if current[1] is None else max(until, current[1])
    return set_trust_cap(member, level, until)


# --- What a member reads about their own level


@dataclass(frozen=True)
class Progress:
    name: str
    label: str
    text: str
    have: int
    need: int

    @property
    def met(self) -> bool:
        return self.have >= self.need


@dataclass(frozen=True)
class Capability:
    name: str
    label: str
    level: int
    level_name: str
    unlocked: bool


@dataclass(frozen=True)
class TrustSummary:
    level: int
    level_name: str
    earned_level: int
    earned_level_name: str
    cap_until: datetime | None
    is_capped: bool
    capabilities: list[Capability]
    next_level: int | None
    next_level_name: str
    progress: list[Progress]


def trust_summary(user: User) -> TrustSummary:
    """The member's level, what it opens, and their own progress to the next one."""
    record = trust_record(user)
    level = effective_level(user)
    cap = cap_in_force(user)
    # The stored level is what every check reads; a record that already meets the next level
    # shows every step met until the job (every few minutes) raises it.
    earned = user.trust_level
    capabilities = [
        Capability(
            name=name, label=_(label), level=level_needed(name),
            level_name=_(TrustLevel(level_needed(name)).label),
            unlocked=has_capability(user, name),  # roles that help others have them all
        )
        for name, label in CAPABILITIES.items()
        if name in settings.HAVEN_TRUST_UNLOCKS
    ]  # fmt: skip
    next_level = earned + 1 if earned < MAX_LEVEL else None
    progress = []
    if next_level is not None:
        for name, need in requirements_for(next_level).items():
            if not need or name not in REQUIREMENTS:
                continue
            have = getattr(record, name)
            label, text = REQUIREMENTS[name]
            progress.append(
                Progress(
                    name,
                    str(label),
                    str(text % {"have": min(have, need), "need": need}),
                    have,
                    need,
                )
            )
    return TrustSummary(
        level=level,
        level_name=_(TrustLevel(level).label),
        earned_level=earned,
        earned_level_name=_(TrustLevel(earned).label),
        cap_until=cap[1] if cap else None,
        is_capped=cap is not None and cap[0] < earned,
        capabilities=sorted(capabilities, key=lambda capability: capability.level),
        next_level=next_level,
        next_level_name=_(TrustLevel(next_level).label) if next_level is not None else "",
        progress=progress,
    )


# --- Who may change a member's level


def check_view_member_trust(user: User) -> None:
    if not (user.is_authenticated and user.is_site_moderator):
        raise PermissionDenied(_("Members' trust levels are looked after by site moderators."))


def check_change_trust_level(actor: Actor, member: User) -> None:
    check_can_write(actor, "moderate")
    check_view_member_trust(actor.user)
    if member.pk == actor.user.pk:
        raise PermissionDenied(_("You can't change your own trust level."))
