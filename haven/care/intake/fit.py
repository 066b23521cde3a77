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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from haven.accounts.models import User
from haven.accounts.zones import member_zone
from haven.care.booking.queries import free_slots
from haven.care.booking.slots import Slot
from haven.care.intake.questionnaire import (
    CURRENCY_SYMBOLS,
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
from haven.core.dates import MONTH_ABBREVIATIONS, WEEKDAY_ABBREVIATIONS
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
IN_SENTENCE = "inside a sentence: Works with …"
TOPIC_NAMES = {
    "anxiety": pgettext_lazy(IN_SENTENCE, "anxiety"),
    "depression": pgettext_lazy(IN_SENTENCE, "depression"),
    "trauma": pgettext_lazy(IN_SENTENCE, "trauma and PTSD"),
    "grief": pgettext_lazy(IN_SENTENCE, "grief"),
    "relationships": pgettext_lazy(IN_SENTENCE, "relationships"),
    "addiction": pgettext_lazy(IN_SENTENCE, "addiction"),
    "eating": pgettext_lazy(IN_SENTENCE, "eating disorders"),
    "ocd": "OCD",
    "bipolar": pgettext_lazy(IN_SENTENCE, "bipolar disorder"),
    "self-harm": pgettext_lazy(IN_SENTENCE, "self-harm"),
    "stress": pgettext_lazy(IN_SENTENCE, "stress and burnout"),
    "identity": pgettext_lazy(IN_SENTENCE, "identity and LGBTQ+ issues"),
    "sleep": pgettext_lazy(IN_SENTENCE, "sleep"),
    "parenting": pgettext_lazy(IN_SENTENCE, "parenting"),
}
APPROACH_NAMES = {
    "cbt": "CBT",
    "dbt": "DBT",
    "emdr": "EMDR",
    "act": "ACT",
    "psychodynamic": pgettext_lazy(IN_SENTENCE, "psychodynamic therapy"),
    "person-centred": pgettext_lazy(IN_SENTENCE, "person-centred therapy"),
    "ipt": pgettext_lazy(IN_SENTENCE, "interpersonal therapy"),
    "systemic": pgettext_lazy(IN_SENTENCE, "family and systemic therapy"),
    "mindfulness": pgettext_lazy(IN_SENTENCE, "mindfulness-based therapy"),
    "solution-focused": pgettext_lazy(IN_SENTENCE, "solution-focused therapy"),
}
FORMAT_NAMES = {
    SessionFormat.VIDEO: pgettext_lazy(IN_SENTENCE, "video"),
    SessionFormat.MESSAGING: pgettext_lazy(IN_SENTENCE, "messaging"),
}
LANGUAGE_NAMES = dict(LANGUAGES)
GENDER_WORDS = {
    "woman": gettext_lazy("Is a woman, as you preferred"),
    "man": gettext_lazy("Is a man, as you preferred"),
    "non-binary": gettext_lazy("Is non-binary, as you preferred"),
}
FAITH_REASONS = {
    "buddhist": gettext_lazy("Has a Buddhist faith background, as you asked"),
    "christian": gettext_lazy("Has a Christian faith background, as you asked"),
    "hindu": gettext_lazy("Has a Hindu faith background, as you asked"),
    "jewish": gettext_lazy("Has a Jewish faith background, as you asked"),
    "muslim": gettext_lazy("Has a Muslim faith background, as you asked"),
    "sikh": gettext_lazy("Has a Sikh faith background, as you asked"),
}
# Words a therapist might write in their free-text faith, for each faith a member can pick.
FAITH_WORDS = {
    "buddhist": ("buddhis",), "christian": ("christian", "catholic", "protestant", "orthodox"),
    "hindu": ("hindu",), "jewish": ("jewish", "judaism"), "muslim": ("muslim", "islam"),
    "sikh": ("sikh",),
}  # fmt: skip


def join_words(words: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    words = [str(word) for word in words]
    if len(words) <= 1:
        return "".join(words)
    return _("%(first)s and %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def format_local(moment: datetime, zone: ZoneInfo) -> str:
    """ "Tue 1 Dec, 18:00" in the member's zone, with the active language's names (never the
    server's locale)."""
    local = moment.astimezone(zone)
    weekday = WEEKDAY_ABBREVIATIONS[local.weekday()]
    month = MONTH_ABBREVIATIONS[local.month - 1]
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
        return _("Writes about %(words)s in their statement, as you did") % {"words": quoted(words)}
    return _("How they describe their work is close to what you wrote")


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
    reasons.append(_("Licensed in %(places)s") % {"places": "; ".join(map(str, places))})

    topics = [t for t in answers.get("topics", []) if t in therapist.specialties]
    if topics:
        score += WEIGHTS["topic"] * len(topics)
        names = join_words([TOPIC_NAMES.get(t, t) for t in topics])
        reasons.append(_("Works with %(topics)s") % {"topics": names})
    if story_similarity is not None and (fit := story_fit(story_similarity)) > 0:
        score += WEIGHTS["story"] * fit
        if fit >= 0.25:
            reasons.append(story_reason(answers.get("story", ""), therapist))

    approaches = [a for a in answers.get("approaches", []) if a in therapist.approaches]
    if approaches:
        score += WEIGHTS["approach"] * len(approaches)
        names = [APPROACH_NAMES.get(a, a) for a in approaches]
        reasons.append(_("Offers %(approaches)s, as you asked") % {"approaches": join_words(names)})
    suited = [
        a
        for goal in answers.get("goals", [])
        for a in GOAL_APPROACHES.get(goal, ())
        if a in therapist.approaches and a not in approaches
    ]
    if suited:
        score += WEIGHTS["goal"]
        names = [APPROACH_NAMES.get(a, a) for a in dict.fromkeys(suited)]
        reasons.append(
            _("Works in a way that suits what you hope for (%(approaches)s)")
            % {"approaches": join_words(names)}
        )

    formats = [f for f in answers.get("formats", []) if f in therapist.formats]
    if formats:
        names = join_words([FORMAT_NAMES[f] for f in formats])
        reasons.append(_("Offers %(formats)s sessions") % {"formats": names})
    languages = [lang for lang in answers.get("languages", []) if lang in therapist.languages]
    if languages:
        names = [_(LANGUAGE_NAMES[lang]) if lang in LANGUAGE_NAMES else lang for lang in languages]
        reasons.append(_("Speaks %(languages)s") % {"languages": join_words(names)})

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
        reasons.append(
            _("Has a free slot on %(when)s your time")
            % {"when": format_local(fitting.starts_at, zone)}
        )
    if next_slot and next_slot.starts_at - now <= SOON:
        # Sooner help counts: someone struggling now should not wait a month.
        score += WEIGHTS["soon"]
        if next_slot != fitting:
            reasons.append(
                _("Next free slot: %(when)s your time")
                % {"when": format_local(next_slot.starts_at, zone)}
            )
    if next_slot is None:
        notes.append(_("No free sessions in the next few weeks."))
    elif (times or days) and fitting is None:
        notes.append(_("Their free times in the next few weeks fall outside the times you chose."))

    budget = answers.get("budget")
    fee = format_fee(therapist.fee_per_session, therapist.currency)
    if budget is not None:
        if therapist.currency != answers.get("currency"):
            notes.append(
                _(
                    "Charges %(fee)s a session, in %(currency)s: we couldn't compare that with "
                    "your budget."
                )
                % {"fee": fee, "currency": therapist.currency}
            )
        elif therapist.fee_per_session <= Decimal(budget):
            reasons.append(_("%(fee)s a session, within your budget") % {"fee": fee})
    if therapist.sliding_scale:
        reasons.append(_("Offers a sliding scale"))

    gender = answers.get("gender")
    if gender and gender_of(therapist.gender) == gender:
        score += WEIGHTS["gender"]
        reasons.append(str(GENDER_WORDS[gender]))
    age_band = answers.get("age_band")
    if age_band and therapist.age_band == age_band:
        score += WEIGHTS["age_band"]
        reasons.append(
            _("Aged %(age_band)s, as you preferred")
            % {"age_band": str(AgeBand(age_band).label).lower()}
        )
    faith = answers.get("faith")
    if faith and shares_faith(therapist.faith, faith):
        score += WEIGHTS["faith"]
        reasons.append(str(FAITH_REASONS[faith]))
    if answers.get("lgbtq_affirming") and therapist.lgbtq_affirming:
        score += WEIGHTS["lgbtq_affirming"]
        reasons.append(_("Has LGBTQ+-affirming experience"))

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
