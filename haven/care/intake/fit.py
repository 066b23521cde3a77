"""Matching a member with verified therapists: who may appear, in what order, and why.

Hard filters decide who may appear at all: a verified, unexpired licence where the member lives
(a therapist may only work there), a session format and a language the member can use, and a
fee within the member's budget (unless the therapist offers a sliding scale). Everything else
only orders the list, and each result says in plain words why it is there. The order is
deterministic: score, then therapist id.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.zones import member_zone
from haven.care.booking.queries import free_slots
from haven.care.booking.slots import Slot
from haven.care.intake.questionnaire import (
    CURRENCY_SYMBOLS,
    FAITHS,
    GOAL_APPROACHES,
    answers_of,
    clean_answers,
)
from haven.care.models import (
    AgeBand,
    CareRelationship,
    Licence,
    SessionFormat,
    TherapistProfile,
)
from haven.care.therapists.permissions import licensed_in, practising_therapists
from haven.core.places import place_name
from haven.core.search_index import Namespace, relevance_floor, similarities_to_text
from haven.core.vocabulary import LANGUAGES
from haven.core.words import quoted, shared_words

# How much each kind of fit counts. Topics weigh most: they are why the member came.
WEIGHTS = {
    "topic": 3,
    "approach": 2,
    "goal": 1,
    "availability": 2,
    "soon": 1,
    "gender": 2,
    "age_band": 1,
    "faith": 1,
    "lgbtq_affirming": 2,
    # The member's own words against the therapist's: up to this much for a close fit.
    "story": 3,
}
SOON = timedelta(days=7)

# Short, lower-case names that read well inside a sentence ("Works with anxiety and grief").
TOPIC_NAMES = {
    "anxiety": "anxiety", "depression": "depression", "trauma": "trauma and PTSD",
    "grief": "grief", "relationships": "relationships", "addiction": "addiction",
    "eating": "eating disorders", "ocd": "OCD", "bipolar": "bipolar disorder",
    "self-harm": "self-harm", "stress": "stress and burnout",
    "identity": "identity and LGBTQ+ issues", "sleep": "sleep", "parenting": "parenting",
}  # fmt: skip
APPROACH_NAMES = {
    "cbt": "CBT", "dbt": "DBT", "emdr": "EMDR", "act": "ACT",
    "psychodynamic": "psychodynamic therapy", "person-centred": "person-centred therapy",
    "ipt": "interpersonal therapy", "systemic": "family and systemic therapy",
    "mindfulness": "mindfulness-based therapy", "solution-focused": "solution-focused therapy",
}  # fmt: skip
FORMAT_NAMES = {SessionFormat.VIDEO: "video", SessionFormat.MESSAGING: "messaging"}
LANGUAGE_NAMES = dict(LANGUAGES)
GENDER_WORDS = {"woman": "a woman", "man": "a man", "non-binary": "non-binary"}
# Words a therapist might write in their free-text faith, for each faith a member can pick.
FAITH_WORDS = {
    "buddhist": ("buddhis",), "christian": ("christian", "catholic", "protestant", "orthodox"),
    "hindu": ("hindu",), "jewish": ("jewish", "judaism"), "muslim": ("muslim", "islam"),
    "sikh": ("sikh",),
}  # fmt: skip


def join_words(words: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def format_local(moment: datetime, zone: ZoneInfo) -> str:
    """ "Tue 1 Dec, 18:00" in the member's zone (English names whatever the server's locale)."""
    local = moment.astimezone(zone)
    weekday = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[local.weekday()]
    month = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
             "Dec")[local.month - 1]  # fmt: skip
    return f"{weekday} {local.day} {month}, {local:%H:%M}"


def format_fee(amount: Decimal, currency: str) -> str:
    text = f"{amount:,.2f}".removesuffix(".00")
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{text}" if symbol else f"{text} {currency}"


def gender_of(text: str) -> str | None:
    """The therapist's free-text gender, read as one of the choices a member can prefer."""
    words = set(re.findall(r"[a-z]+", text.lower().replace("non-binary", "nonbinary")))
    words |= {"nonbinary"} if "non binary" in text.lower() else set()
    if words & {"nonbinary", "enby", "genderqueer"}:
        return "non-binary"
    if words & {"woman", "female", "f"}:
        return "woman"
    if words & {"man", "male", "m"}:
        return "man"
    return None


def shares_faith(therapist_faith: str, wanted: str) -> bool:
    text = therapist_faith.lower()
    return any(word in text for word in FAITH_WORDS.get(wanted, ()))


def in_preferred_times(moment: datetime, zone: ZoneInfo, times: list[str], days: list[str]) -> bool:
    """Does this slot fall in the member's preferred times of day and days of the week, in
    the member's own time zone?"""
    local = moment.astimezone(zone)
    part = "morning" if local.hour < 12 else "afternoon" if local.hour < 17 else "evening"
    day = "weekends" if local.weekday() >= 5 else "weekdays"
    return (not times or part in times) and (not days or day in days)


@dataclass(frozen=True)
class Match:
    therapist: TherapistProfile
    score: float
    reasons: tuple[str, ...]  # why this therapist is suggested, in plain words
    notes: tuple[str, ...]  # things worth knowing that are not reasons (a fee we can't compare)
    next_slot: Slot | None
    fitting_slot: Slot | None  # the first free slot at the member's preferred times
    licensed_in: tuple[str, ...]
    fee: str  # "£80", ready to show


def passes_hard_filters(therapist: TherapistProfile, answers: dict) -> bool:
    """Format, language and budget. (The licence is filtered in the database.)"""
    formats = answers.get("formats")
    if formats and not set(formats) & set(therapist.formats):
        return False
    languages = answers.get("languages")
    if languages and not set(languages) & set(therapist.languages):
        return False
    budget = answers.get("budget")
    # A fee in another currency can't be compared: it stays, with a note (see assess).
    return (
        budget is None
        or therapist.currency != answers.get("currency")
        or therapist.fee_per_session <= Decimal(budget)
        or therapist.sliding_scale
    )


def story_similarities(answers: dict, therapists: list[TherapistProfile]) -> dict[int, float]:
    """Cosine similarity of the member's "in your own words" to each therapist's vector."""
    return similarities_to_text(
        Namespace.THERAPIST, [t.pk for t in therapists], answers.get("story") or ""
    )


def story_fit(similarity: float) -> float:
    """0 for unrelated texts, 1 for a close fit, on the configured model's scale."""
    floor = relevance_floor()
    return max(0.0, min(1.0, (similarity - floor) / (1.0 - floor) * 2))


def story_reason(story: str, therapist: TherapistProfile) -> str:
    words = shared_words(story, therapist.statement)
    if words:
        return f"Writes about {quoted(words)} in their statement, as you did"
    return "How they describe their work is close to what you wrote"


def assess(
    therapist: TherapistProfile,
    answers: dict,
    *,
    zone: ZoneInfo,
    now: datetime,
    story_similarity: float | None = None,
) -> Match:
    """Score one therapist who passed the hard filters, with the reasons."""
    reasons: list[str] = []
    notes: list[str] = []
    score = 0.0
    jurisdictions = tuple(sorted({licence.jurisdiction for licence in therapist.current_licences}))
    location = answers.get("location")
    # Where the member lives is what matters to them; without it, say where the licences are.
    places = [place_name(code) for code in ([location] if location else jurisdictions)]
    reasons.append(f"Licensed in {'; '.join(places)}")

    topics = [t for t in answers.get("topics", []) if t in therapist.specialties]
    if topics:
        score += WEIGHTS["topic"] * len(topics)
        reasons.append(f"Works with {join_words([TOPIC_NAMES.get(t, t) for t in topics])}")
    if story_similarity is not None and (fit := story_fit(story_similarity)) > 0:
        score += WEIGHTS["story"] * fit
        if fit >= 0.25:
            reasons.append(story_reason(answers.get("story", ""), therapist))

    approaches = [a for a in answers.get("approaches", []) if a in therapist.approaches]
    if approaches:
        score += WEIGHTS["approach"] * len(approaches)
        names = [APPROACH_NAMES.get(a, a) for a in approaches]
        reasons.append(f"Offers {join_words(names)}, as you asked")
    suited = [
        a
        for goal in answers.get("goals", [])
        for a in GOAL_APPROACHES.get(goal, ())
        if a in therapist.approaches and a not in approaches
    ]
    if suited:
        score += WEIGHTS["goal"]
        names = [APPROACH_NAMES.get(a, a) for a in dict.fromkeys(suited)]
        reasons.append(f"Works in a way that suits what you hope for ({join_words(names)})")

    formats = [f for f in answers.get("formats", []) if f in therapist.formats]
    if formats:
        reasons.append(f"Offers {join_words([FORMAT_NAMES[f] for f in formats])} sessions")
    languages = [lang for lang in answers.get("languages", []) if lang in therapist.languages]
    if languages:
        names = [LANGUAGE_NAMES.get(lang, lang) for lang in languages]
        reasons.append(f"Speaks {join_words(names)}")

    slots = free_slots(therapist, days=settings.HAVEN_BOOKING_HORIZON_DAYS, now=now)
    next_slot = slots[0] if slots else None
    times, days = answers.get("times", []), answers.get("days", [])
    fitting = None
    if times or days:
        fitting = next(
            (s for s in slots if in_preferred_times(s.starts_at, zone, times, days)), None
        )
    if fitting:
        score += WEIGHTS["availability"]
        reasons.append(f"Has a free slot on {format_local(fitting.starts_at, zone)} your time")
    if next_slot and next_slot.starts_at - now <= SOON:
        # Sooner help counts: someone struggling now should not wait a month.
        score += WEIGHTS["soon"]
        if next_slot != fitting:
            reasons.append(f"Next free slot: {format_local(next_slot.starts_at, zone)} your time")
    if next_slot is None:
        notes.append("No free sessions in the next few weeks.")
    elif (times or days) and fitting is None:
        notes.append("Their free times in the next few weeks fall outside the times you chose.")

    budget = answers.get("budget")
    fee = format_fee(therapist.fee_per_session, therapist.currency)
    if budget is not None:
        if therapist.currency != answers.get("currency"):
            notes.append(
                f"Charges {fee} a session, in {therapist.currency}: we couldn't compare that "
                "with your budget."
            )
        elif therapist.fee_per_session <= Decimal(budget):
            reasons.append(f"{fee} a session, within your budget")
    if therapist.sliding_scale:
        reasons.append("Offers a sliding scale")

    gender = answers.get("gender")
    if gender and gender_of(therapist.gender) == gender:
        score += WEIGHTS["gender"]
        reasons.append(f"Is {GENDER_WORDS[gender]}, as you preferred")
    age_band = answers.get("age_band")
    if age_band and therapist.age_band == age_band:
        score += WEIGHTS["age_band"]
        reasons.append(f"Aged {AgeBand(age_band).label.lower()}, as you preferred")
    faith = answers.get("faith")
    if faith and shares_faith(therapist.faith, faith):
        score += WEIGHTS["faith"]
        reasons.append(f"Has a {dict(FAITHS)[faith]} faith background, as you asked")
    if answers.get("lgbtq_affirming") and therapist.lgbtq_affirming:
        score += WEIGHTS["lgbtq_affirming"]
        reasons.append("Has LGBTQ+-affirming experience")

    return Match(
        therapist=therapist,
        score=score,
        reasons=tuple(reasons),
        notes=tuple(notes),
        next_slot=next_slot,
        fitting_slot=fitting,
        licensed_in=jurisdictions,
        fee=fee,
    )


def rank_therapists(
    member: User, answers: dict | None = None, *, now: datetime | None = None
) -> list[Match]:
    """Practising therapists for this member, best fit first. Without `answers`, the member's
    stored answers: re-matching is simply running this again."""
    answers = clean_answers(answers) if answers is not None else answers_of(member)
    now = now or timezone.now()
    candidates = practising_therapists().exclude(user=member)
    location = answers.get("location")
    if location:
        candidates = candidates.filter(licensed_in(location))
    candidates = candidates.prefetch_related(
        Prefetch(
            "licences",
            queryset=Licence.objects.filter(
                status=Licence.Status.APPROVED, expires_on__gte=now.date()
            ),
            to_attr="current_licences",
        )
    ).order_by("pk")
    zone = member_zone(member)
    passing = [therapist for therapist in candidates if passes_hard_filters(therapist, answers)]
    similarities = story_similarities(answers, passing)
    matches = [
        assess(
            therapist, answers, zone=zone, now=now, story_similarity=similarities.get(therapist.pk)
        )
        for therapist in passing
    ]
    return sorted(matches, key=lambda match: (-match.score, match.therapist.pk))


# --- The member's current therapist


def current_relationship(member: User) -> CareRelationship | None:
    return (
        CareRelationship.objects.select_related("therapist")
        .filter(member=member, status=CareRelationship.Status.ACTIVE)
        .order_by("-started_at", "-pk")
        .first()
    )
