"""The personal safety plan: Stanley & Brown's six steps plus reasons for living.

Private to its owner like the journal. The owner may share it read-only and revoke any share at
any time. Who it can be shared with is known only to the apps above: chat (a listener in an open
chat; the share ends with the chat) and care (a therapist; the share ends with the care
relationship). Each registers a ShareChannel, so this module decides nothing about chats or care
and never imports them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import User
from haven.wellness.models import (
    SAFETY_PLAN_ITEM_MAX_LENGTH,
    SAFETY_PLAN_MAX_ITEMS,
    SafetyPlan,
    SafetyPlanShare,
)


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    question: str
    examples: tuple[str, ...]


STEPS: tuple[Step, ...] = (
    Step(
        "warning_signs",
        _("My warning signs"),
        _("What thoughts, feelings, situations or behaviours tell you a crisis may be building?"),
        (
            _("Not sleeping for several nights"),
            _("Pulling away from everyone"),
            _("Thinking “nothing will ever change”"),
            _("Drinking more than usual"),
        ),
    ),
    Step(
        "coping_strategies",
        _("Things I can do on my own"),
        _(
            "What can you do by yourself to take your mind off things or calm your body, "
            "without contacting anyone?"
        ),
        (
            _("Box breathing for two minutes"),
            _("A walk around the block"),
            _("A hot shower"),
            _("Music that steadies me"),
            _("5-4-3-2-1 grounding"),
        ),
    ),
    Step(
        "distractions",
        _("People and places that take my mind off things"),
        _("Who or where helps you feel a little better just by being around them?"),
        (
            _("The library or a café"),
            _("Texting my cousin about football"),
            _("Walking the dog in the park"),
            _("An online group I like"),
        ),
    ),
    Step(
        "people_to_ask",
        _("People I can ask for help"),
        _("Who could you tell that you are struggling? Write how to reach them."),
        (
            _("My sister, her mobile is in my favourites"),
            _("My friend from work"),
            _("A listener on Haven (Talk to someone now)"),
        ),
    ),
    Step(
        "professionals",
        _("Professionals and crisis lines"),
        _("Which professionals, services or crisis lines can you contact, day or night?"),
        (
            _("My doctor's surgery (weekdays)"),
            _("My therapist"),
            _("The crisis line on the Get help page"),
            _("Emergency services or the nearest emergency department"),
        ),
    ),
    Step(
        "safe_environment",
        _("Making my surroundings safer"),
        _(
            "What could you do to keep things you might use to hurt yourself out of reach, "
            "and who could help with that?"
        ),
        (
            _("Ask a friend to keep my medication and give me a week at a time"),
            _("Stay somewhere else tonight"),
            _("Remove or lock away anything I might use"),
        ),
    ),
    Step(
        "reasons_for_living",
        _("My reasons for living"),
        _("What matters to you, or might matter again? Big or small, it all counts."),
        (
            _("My cat"),
            _("Seeing my niece grow up"),
            _("The sea in summer"),
            _("Finding out how the story ends"),
        ),
    ),
)
STEP_KEYS = tuple(step.key for step in STEPS)


def plan_of(member: User) -> SafetyPlan:
    plan, _ = SafetyPlan.objects.get_or_create(member=member)
    return plan


def plan_items(plan: SafetyPlan) -> list[tuple[Step, list[str]]]:
    return [(step, list(plan.steps.get(step.key, []))) for step in STEPS]


def plan_is_empty(plan: SafetyPlan) -> bool:
    return not any(plan.steps.get(key) for key in STEP_KEYS)


def clean_items(lines: list[str]) -> list[str]:
    items = [line.strip()[:SAFETY_PLAN_ITEM_MAX_LENGTH] for line in lines]
    return [item for item in items if item][:SAFETY_PLAN_MAX_ITEMS]


@transaction.atomic
def do_save_plan_step(member: User, step_key: str, items: list[str]) -> SafetyPlan:
    if step_key not in STEP_KEYS:
        raise ValueError(f"Unknown safety-plan step {step_key!r}")
    plan = SafetyPlan.objects.select_for_update().get(pk=plan_of(member).pk)
    plan.steps = {**plan.steps, step_key: clean_items(items)}
    plan.updated_at = timezone.now()
    plan.save(update_fields=["steps", "updated_at"])
    return plan


@dataclass(frozen=True)
class ShareChannel:
    """One way to share the plan, registered by the app that knows the other person."""

    name: str
    # The shares of this channel that still let someone read the plan (a Q over SafetyPlanShare).
    standing: Callable[[], Q]
    holds: Callable[[SafetyPlanShare], bool]
    # Who reads it, as the owner knows them, e.g. ("Dr Ana Ruiz", "your therapist").
    reader: Callable[[SafetyPlanShare], tuple[str, str]]
    # The "Let … read it" buttons on the plan page, for whoever the member could share with now.
    offers: Callable[[HttpRequest], SafeString]
    # Where the reader came from, e.g. the chat, as (url, label); None when there is no such place.
    back_link: Callable[[SafetyPlanShare], tuple[str, str] | None]


_channels: dict[str, ShareChannel] = {}


def register_share_channel(channel: ShareChannel) -> None:
    _channels[channel.name] = channel


def _standing_q() -> Q:
    # With no channel registered nothing stands: a share is readable only where an app vouches.
    return reduce(or_, (c.standing() for c in _channels.values()), Q(pk__in=[]))


def active_shares(plan: SafetyPlan):
    """Shares that still let someone read the plan: not revoked, and standing in their channel
    (for a chat, while it is open; for a therapist, while the care relationship lasts)."""

    return (
        SafetyPlanShare.objects.filter(plan=plan, revoked_at__isnull=True)
        .filter(_standing_q())
        .select_related("shared_with")
        .order_by("-created_at")
    )


@dataclass(frozen=True)
class ShareShown:
    share: SafetyPlanShare
    reader_name: str
    reader_role: str


def shares_shown(plan: SafetyPlan) -> list[ShareShown]:
    shown = []
    for share in active_shares(plan):
        channel = next(c for c in _channels.values() if c.holds(share))
        shown.append(ShareShown(share, *channel.reader(share)))
    return shown


def back_link(share: SafetyPlanShare) -> tuple[str, str] | None:
    return next(c for c in _channels.values() if c.holds(share)).back_link(share)


def share_offers(request: HttpRequest) -> list[SafeString]:
    return [channel.offers(request) for channel in _channels.values()]


def do_revoke_share(member: User, share_id: int) -> None:
    updated = SafetyPlanShare.objects.filter(
        pk=share_id, plan__member=member, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if not updated:
        raise Http404("No such share.")


def access_shared_plan(viewer: User, share_id: int) -> SafetyPlanShare:
    """A plan shared with the viewer, while the share stands (for a chat, while it is open; for
    a therapist, while the care relationship lasts). Everyone else, staff included, gets 404."""

    share = (
        SafetyPlanShare.objects.filter(
            pk=share_id, shared_with_id=viewer.pk, revoked_at__isnull=True
        )
        .filter(_standing_q())
        .select_related("plan__member")
        .first()
    )
    if share is None:
        raise Http404("No such safety plan.")
    return share
