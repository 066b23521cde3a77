"""The policy that turns detector labels into what happens to a text. Configurable per label
through settings.HAVEN_SAFETY_POLICY; the defaults say why each choice is made."""

from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings


class Action(StrEnum):
    PUBLISH = "publish"
    PUBLISH_WITH_SUPPORT = "publish_with_support"
    PUBLISH_WITH_LABEL = "publish_with_label"
    HOLD_FOR_REVIEW = "hold_for_review"
    REFUSE = "refuse"


class Queue(StrEnum):
    URGENT = "urgent"
    FLAGGED = "flagged"


DEFAULT_POLICY: dict[str, dict] = {
    # Silencing someone in crisis harms them: publish, show help at once, alert moderators.
    "crisis": {"support_panel": True, "queue": Queue.URGENT, "notify_moderators": True},
    # Words that may hurt someone wait for a moderator; the writer is first offered an edit.
    "toxic": {"hold": True, "nudge": True, "queue": Queue.FLAGGED},
    # Harmful health claims stay readable but carry a label and a link to vetted information.
    "misinformation": {"label": True, "queue": Queue.FLAGGED},
    # Anonymity is the product: contact details are never published; the writer edits them out.
    "personal_data": {"refuse": True},
    "spam": {"hold": True, "queue": Queue.FLAGGED},
}

# Where a text is private to its writer, the only response is the private support panel.
PRIVATE_SURFACES = {"journal", "questionnaire", "room_match"}
# A chat is private to its two participants: moderators see it only when one of them reports
# it or a listener escalates it, so the policy queues nothing by itself there.
# A moderator's check-in is private to the member and the moderators already there.
PARTICIPANT_SURFACES = {"chat", "check_in"}
# Care messages are a clinical conversation between a member and their therapist: nothing is
# refused (a client may need to give an address or a medication name), held or queued, and no
# moderator is told. A member's crisis words bring them the private support panel; the care
# action alerts their therapist, the one person who should know.
CARE_SURFACES = {"care"}

_SEVERITY = [
    Action.REFUSE,
    Action.HOLD_FOR_REVIEW,
    Action.PUBLISH_WITH_LABEL,
    Action.PUBLISH_WITH_SUPPORT,
    Action.PUBLISH,
]


@dataclass(frozen=True)
class Decision:
    action: Action = Action.PUBLISH
    refuse: bool = False
    hold: bool = False
    nudge: bool = False
    label: bool = False
    support_panel: bool = False
    notify_moderators: bool = False
    queue: Queue | None = None
    reasons: tuple[str, ...] = field(default_factory=tuple)


def policy_rules() -> dict[str, dict]:
    return {**DEFAULT_POLICY, **getattr(settings, "HAVEN_SAFETY_POLICY", {})}


def decide(labels: frozenset[str], surface: str, *, crisis_confident: bool = True) -> Decision:
    """What happens to a text with these labels. A possible (not sure) crisis keeps the support
    panel but goes to the flagged queue without waking moderators."""
    rules = policy_rules()
    if "crisis" in labels and not crisis_confident:
        rules = {
            **rules,
            "crisis": {**rules["crisis"], "queue": Queue.FLAGGED, "notify_moderators": False},
        }
    if surface in PRIVATE_SURFACES or surface in CARE_SURFACES:
        crisis = "crisis" in labels and rules["crisis"].get("support_panel", False)
        return Decision(
            action=Action.PUBLISH_WITH_SUPPORT if crisis else Action.PUBLISH,
            support_panel=crisis,
            reasons=tuple(sorted(labels & {"crisis"})),
        )
    flags = {
        "refuse": False, "hold": False, "nudge": False, "label": False,
        "support_panel": False, "notify_moderators": False,
    }  # fmt: skip
    queue: Queue | None = None
    for label in sorted(labels):
        rule = rules.get(label, {})
        for flag in flags:
            flags[flag] = flags[flag] or bool(rule.get(flag, False))
        wanted = rule.get("queue")
        if wanted == Queue.URGENT or (wanted and queue is None):
            queue = Queue(wanted)
    candidates = [Action.PUBLISH]
    if flags["refuse"]:
        candidates.append(Action.REFUSE)
    if flags["hold"]:
        candidates.append(Action.HOLD_FOR_REVIEW)
    if flags["label"]:
        candidates.append(Action.PUBLISH_WITH_LABEL)
    if flags["support_panel"]:
        candidates.append(Action.PUBLISH_WITH_SUPPORT)
    action = min(candidates, key=_SEVERITY.index)
    if surface in PARTICIPANT_SURFACES:
        queue, flags["notify_moderators"] = None, False
    return Decision(action=action, queue=queue, reasons=tuple(sorted(labels)), **flags)
