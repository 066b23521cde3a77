"""Ban-evasion signals: a new account seen with the same browser or network as a banned one.

Only ever a hint for site moderators, on queue items and on a member's moderation history:
nothing happens to the account automatically, members never see it (no member page, no member
API, no notification), and community moderators do not see it either (bans are site-wide, and
linking accounts across the site is not theirs to see).

The raw material is haven.accounts.device_signals: keyed digests of a first-party browser
cookie (a shared browser: a strong signal) and of the address prefix (a shared network: weak,
since households, schools and phone companies share one; a little stronger when the new
account first appeared there soon after the ban, or when several banned accounts used it).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from haven.accounts.models import DeviceSignal, User
from haven.moderation.models import QueueItem, Sanction

# Only accounts this young are looked at: evasion is a new account after a ban.
NEW_ACCOUNT_DAYS = 30
# A network first shared this close to the ban counts for more.
NEAR_BAN_DAYS = 14


class Strength(IntEnum):
    WEAK = 1
    MODERATE = 2
    STRONG = 3

    @property
    def label(self) -> str:
        if self == Strength.STRONG:
            return _("strong signal")
        if self == Strength.MODERATE:
            return _("moderate signal")
        return _("weak signal")


@dataclass(frozen=True)
class EvasionMatch:
    banned_id: int
    banned_pseudonym: str
    kind: str  # DeviceSignal.Kind
    strength: Strength
    # When this account was first seen with the shared browser or network.
    seen_at: datetime
    banned_at: datetime
    near_ban: bool = False
    # Banned accounts seen on this network (1 for a browser).
    banned_accounts_here: int = 1

    @property
    def reason(self) -> str:
        if self.kind == DeviceSignal.Kind.DEVICE:
            return _("shares a browser")
        values = {"days": NEAR_BAN_DAYS, "count": self.banned_accounts_here}
        if self.near_ban and self.banned_accounts_here > 1:
            return (
                ngettext(
                    "uses the same network, first seen there within %(days)s days of the ban, "
                    "where %(count)s banned account was seen",
                    "uses the same network, first seen there within %(days)s days of the ban, "
                    "where %(count)s banned accounts were seen",
                    self.banned_accounts_here,
                )
                % values
            )
        if self.near_ban:
            return (
                _("uses the same network, first seen there within %(days)s days of the ban")
                % values
            )
        if self.banned_accounts_here > 1:
            return (
                ngettext(
                    "uses the same network, where %(count)s banned account was seen",
                    "uses the same network, where %(count)s banned accounts were seen",
                    self.banned_accounts_here,
                )
                % values
            )
        return _("uses the same network")

    @property
    def sort_key(self) -> tuple:
        return (self.strength, self.near_ban, self.banned_accounts_here, self.seen_at)


@dataclass(frozen=True)
class EvasionSignal:
    member_id: int
    matches: list[EvasionMatch]  # strongest first, one per banned account

    @property
    def strength(self) -> Strength:
        return self.matches[0].strength

    @property
    def summary(self) -> str:
        top = self.matches[0]
        others = len(self.matches)
        values = {"count": others, "strength": top.strength.label}
        if top.kind == DeviceSignal.Kind.DEVICE:
            return (
                ngettext(
                    "Possible returning account: shares a browser with a banned account "
                    "(%(strength)s)",
                    "Possible returning account: shares a browser with %(count)s banned accounts "
                    "(%(strength)s)",
                    others,
                )
                % values
            )
        return (
            ngettext(
                "Possible returning account: uses the same network as a banned account "
                "(%(strength)s)",
                "Possible returning account: uses the same network as %(count)s banned accounts "
                "(%(strength)s)",
                others,
            )
            % values
        )

    @property
    def note(self) -> str:
        return _("Moderators decide; nothing happens automatically.")

    @property
    def is_weak(self) -> bool:
        return self.strength == Strength.WEAK


def may_see_evasion_signals(user: User) -> bool:
    return user.is_authenticated and user.is_site_moderator


def _ban_started() -> Subquery:
    """When the row's account was banned, for accounts closed by a ban (a ban in force, or an
    account a ban closed); null for everyone else."""
    bans = (
        Sanction.objects.filter(member=OuterRef("user"), kind=Sanction.Kind.BAN)
        .filter(Q(until__isnull=True) | Q(until__gt=timezone.now()) | Q(member__is_active=False))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return Subquery(bans)


def evasion_signals_for(member_ids: Iterable[int]) -> dict[int, EvasionSignal]:
    """{member id: signal} for those of these members who are new and share a browser or a
    network with a banned account. One query, whatever the number of members."""
    member_ids = {pk for pk in member_ids if pk}
    if not member_ids:
        return {}
    joined_after = timezone.now() - timedelta(days=NEW_ACCOUNT_DAYS)
    candidate = Q(user_id__in=member_ids, user__date_joined__gte=joined_after)
    shared = Q()
    for kind in DeviceSignal.Kind.values:
        # kind + digest: the (kind, digest) index serves both sides.
        digests = DeviceSignal.objects.filter(candidate, kind=kind).values("digest")
        shared |= Q(kind=kind, digest__in=digests)
    rows = (
        DeviceSignal.objects.annotate(banned_at=_ban_started())
        .filter(candidate | (shared & Q(banned_at__isnull=False)))
        .values(
            "user_id",
            "user__pseudonym",
            "user__date_joined",
            "kind",
            "digest",
            "first_seen_at",
            "banned_at",
        )
    )
    seen: dict[tuple[str, str], list[dict]] = defaultdict(list)
    banned: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in rows:
        key = (row["kind"], row["digest"])
        if row["user_id"] in member_ids and row["user__date_joined"] >= joined_after:
            seen[key].append(row)
        if row["banned_at"] is not None:
            banned[key].append(row)
    best: dict[int, dict[int, EvasionMatch]] = defaultdict(dict)
    for key, sightings in seen.items():
        for sighting in sightings:
            for ban in banned.get(key, []):
                if ban["user_id"] == sighting["user_id"]:
                    continue
                others = {row["user_id"] for row in banned[key]} - {sighting["user_id"]}
                match = _match(sighting, ban, banned_here=len(others))
                current = best[sighting["user_id"]].get(ban["user_id"])
                if current is None or match.sort_key > current.sort_key:
                    best[sighting["user_id"]][ban["user_id"]] = match
    return {
        member_id: EvasionSignal(
            member_id, sorted(by_ban.values(), key=lambda m: m.sort_key, reverse=True)
        )
        for member_id, by_ban in best.items()
    }


def _match(sighting: dict, ban: dict, *, banned_here: int) -> EvasionMatch:
    banned_at = ban["banned_at"]
    if sighting["kind"] == DeviceSignal.Kind.DEVICE:
        strength, near, here = Strength.STRONG, False, 1
    else:
        near = abs(sighting["first_seen_at"] - banned_at) <= timedelta(days=NEAR_BAN_DAYS)
        here = banned_here
        strength = Strength.MODERATE if near or here > 1 else Strength.WEAK
    return EvasionMatch(
        banned_id=ban["user_id"], banned_pseudonym=ban["user__pseudonym"],
        kind=sighting["kind"], strength=strength, seen_at=sighting["first_seen_at"],
        banned_at=banned_at, near_ban=near, banned_accounts_here=here,
    )  # fmt: skip


def evasion_signal_for(viewer: User, member: User | None) -> EvasionSignal | None:
    """The signal about one member, for a site moderator; None for anyone else."""
    if member is None or not may_see_evasion_signals(viewer):
        return None
    return evasion_signals_for([member.pk]).get(member.pk)


def _item_members(items: list[QueueItem]) -> dict[int, int]:
    """{item id: member id} of whose words or profile each item is about, without revealing
    anonymous authors: an anonymous post or a message in an anonymous room shows its signal
    only on the item page, where opening it is audited. Chats too (whose side is decided by the
    reports). One query."""
    rows = QueueItem.objects.filter(pk__in=[item.pk for item in items]).values_list(
        "pk", "member_id", "post__author_id", "post__is_anonymous", "update__author_id",
        "update_reply__author_id", "room_message__author_id",
        "room_message__room__is_anonymous", "direct_message__sender_id",
    )  # fmt: skip
    members = {}
    for (pk, member_id, post_author, post_anonymous, update_author, update_reply_author,
         room_author, room_anonymous, dm_sender) in rows:  # fmt: skip
        candidates = [
            None if post_anonymous else post_author,
            update_author,
            update_reply_author,
            None if room_anonymous else room_author,
            dm_sender,
            member_id,
        ]
        member = next((found for found in candidates if found), None)
        if member is not None:
            members[pk] = member
    return members


def evasion_signals_for_items(viewer: User, items: Iterable[QueueItem]) -> dict[int, EvasionSignal]:
    """{item id: signal} for a page of the queue, for a site moderator ({} for anyone else).
    Two queries for the whole page."""
    items = list(items)
    if not items or not may_see_evasion_signals(viewer):
        return {}
    members = _item_members(items)
    signals = evasion_signals_for(members.values())
    return {pk: signals[member] for pk, member in members.items() if member in signals}


def attach_evasion_signals(viewer: User, items: list[QueueItem]) -> None:
    """Set `evasion_signal` (a signal or None) on each item of a queue page, for its template."""
    signals = evasion_signals_for_items(viewer, items)
    for item in items:
        item.evasion_signal = signals.get(item.pk)


def check_see_member_history(user: User) -> None:
    if not may_see_evasion_signals(user):
        raise PermissionDenied(_("A member's moderation history is for site moderators."))


def access_member_for_history(viewer: User, pseudonym: str) -> User:
    """Any account, banned and closed ones included, for a site moderator."""
    check_see_member_history(viewer)
    member = User.objects.filter(pseudonym__iexact=pseudonym).first()
    if member is None:
        raise Http404("No such member.")
    return member


def sanctions_of(member: User) -> QuerySet[Sanction]:
    return Sanction.objects.filter(member=member).order_by("-created_at", "-pk")


def evasion_signal_data(signal: EvasionSignal | None) -> dict | None:
    """The signal as the moderator-only queue API carries it (EvasionSignalOut)."""
    if signal is None:
        return None
    return {
        "strength": signal.strength.name.lower(),
        "summary": signal.summary,
        "note": signal.note,
        "matches": [
            {
                "banned_account": match.banned_pseudonym,
                "kind": match.kind,
                "strength": match.strength.name.lower(),
                "reason": match.reason,
                "seen_at": match.seen_at,
                "banned_at": match.banned_at,
            }
            for match in signal.matches
        ],
    }
