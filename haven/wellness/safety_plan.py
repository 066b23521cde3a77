"""The personal safety plan: Stanley & Brown's six steps plus reasons for living.

Private to its owner like the journal. The owner may share it read-only with a listener in an
open chat (the share ends with the chat), or with a therapist they are in care with (the share,
which has no conversation, ends with that care relationship), and revoke any share at any time.
"""

from dataclasses import dataclass

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from haven.accounts.models import User
from haven.care.models import CareRelationship
from haven.chat.models import Conversation
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
        "My warning signs",
        "What thoughts, feelings, situations or behaviours tell you a crisis may be building?",
        (
            "Not sleeping for several nights",
            "Pulling away from everyone",
            "Thinking “nothing will ever change”",
            "Drinking more than usual",
        ),
    ),
    Step(
        "coping_strategies",
        "Things I can do on my own",
        "What can you do by yourself to take your mind off things or calm your body, "
        "without contacting anyone?",
        (
            "Box breathing for two minutes",
            "A walk around the block",
            "A hot shower",
            "Music that steadies me",
            "5-4-3-2-1 grounding",
        ),
    ),
    Step(
        "distractions",
        "People and places that take my mind off things",
        "Who or where helps you feel a little better just by being around them?",
        (
            "The library or a café",
            "Texting my cousin about football",
            "Walking the dog in the park",
            "An online group I like",
        ),
    ),
    Step(
        "people_to_ask",
        "People I can ask for help",
        "Who could you tell that you are struggling? Write how to reach them.",
        (
            "My sister, her mobile is in my favourites",
            "My friend from work",
            "A listener on Haven (Talk to someone now)",
        ),
    ),
    Step(
        "professionals",
        "Professionals and crisis lines",
        "Which professionals, services or crisis lines can you contact, day or night?",
        (
            "My doctor's surgery (weekdays)",
            "My therapist",
            "The crisis line on the Get help page",
            "Emergency services or the nearest emergency department",
        ),
    ),
    Step(
        "safe_environment",
        "Making my surroundings safer",
        "What could you do to keep things you might use to hurt yourself out of reach, "
        "and who could help with that?",
        (
            "Ask a friend to keep my medication and give me a week at a time",
            "Stay somewhere else tonight",
            "Remove or lock away anything I might use",
        ),
    ),
    Step(
        "reasons_for_living",
        "My reasons for living",
        "What matters to you, or might matter again? Big or small, it all counts.",
        (
            "My cat",
            "Seeing my niece grow up",
            "The sea in summer",
            "Finding out how the story ends",
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


def active_shares(plan: SafetyPlan):
    """Shares that still let someone read the plan: not revoked; for a chat, while it is open;
    for a therapist, while the care relationship lasts."""
    from django.db.models import Q

    return (
        SafetyPlanShare.objects.filter(plan=plan, revoked_at__isnull=True)
        .filter(
            (Q(conversation__isnull=True) & current_share_q())
            | Q(conversation__status=Conversation.Status.ACTIVE)
        )
        .select_related("shared_with__therapist_profile", "conversation")
        .order_by("-created_at")
    )


def current_share_q():
    """For a share with a therapist (no conversation): it stands while a care relationship
    between the two is active and began no later than the share. A share from an earlier
    relationship does not come back when the member books the same therapist again."""
    from django.db.models import Exists, OuterRef

    return Exists(
        CareRelationship.objects.filter(
            member_id=OuterRef("plan__member_id"),
            therapist__user_id=OuterRef("shared_with_id"),
            status=CareRelationship.Status.ACTIVE,
            started_at__lte=OuterRef("created_at"),
        )
    )


def open_chats_to_share_with(member: User):
    """The member's open chats as the person seeking support, whose listener could see the plan."""

    return Conversation.objects.filter(
        seeker=member, status=Conversation.Status.ACTIVE, listener__isnull=False
    ).select_related("listener")


@transaction.atomic
def do_share_plan_in_chat(member: User, conversation) -> SafetyPlanShare:

    if (
        conversation.seeker_id != member.pk
        or conversation.status != Conversation.Status.ACTIVE
        or conversation.listener_id is None
    ):
        raise Http404("No such open chat.")
    plan = plan_of(member)
    share, _ = SafetyPlanShare.objects.get_or_create(
        plan=plan,
        shared_with_id=conversation.listener_id,
        conversation=conversation,
        revoked_at=None,
    )
    return share


def do_revoke_share(member: User, share_id: int) -> None:
    updated = SafetyPlanShare.objects.filter(
        pk=share_id, plan__member=member, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if not updated:
        raise Http404("No such share.")


def access_shared_plan(viewer: User, share_id: int) -> SafetyPlanShare:
    """A plan shared with the viewer, while the share stands (for a chat, while it is open; for
    a therapist, while the care relationship lasts). Everyone else, staff included, gets 404."""

    try:
        share = SafetyPlanShare.objects.select_related("plan__member", "conversation").get(
            pk=share_id, shared_with_id=viewer.pk, revoked_at__isnull=True
        )
    except SafetyPlanShare.DoesNotExist:
        raise Http404("No such safety plan.") from None
    if share.conversation is not None and share.conversation.status != Conversation.Status.ACTIVE:
        raise Http404("No such safety plan.")
    if (
        share.conversation is None
        and not SafetyPlanShare.objects.filter(pk=share.pk).filter(current_share_q()).exists()
    ):
        raise Http404("No such safety plan.")
    return share
