"""Professional care in the JSON API: matching. The same actions and rules as the pages.

Everything here is the caller's own (request.user): there is no id through which one member
could reach another's answers.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from haven.accounts.api_auth import member_auth
from haven.accounts.gates import WriteRefused
from haven.care.booking.permissions import check_stop_care_data, check_write_care
from haven.care.intake import fit, questionnaire
from haven.care.intake.actions import do_choose_therapist
from haven.care.intake.permissions import check_can_choose
from haven.care.models import AgeBand, Approach, CareRelationship, SessionFormat, Specialty
from haven.care.therapists.permissions import practising_therapists
from haven.core.api_schemas import InputSchema, JsonDecimal, MemberText
from haven.core.vocabulary import LANGUAGES
from haven.safety.api import SupportOut
from haven.safety.support import support_message, support_panel_content

router = Router(auth=member_auth, tags=["care"])


def _literal(choices) -> Any:
    return Literal[tuple(value for value, _ in choices)]  # type: ignore[valid-type]


TopicName = _literal(Specialty.choices)
GoalName = _literal(questionnaire.GOALS)
ApproachName = _literal(Approach.choices)
LocationCode = Literal[tuple(questionnaire.LOCATIONS)]  # type: ignore[valid-type]
LanguageCode = _literal(LANGUAGES)
FormatName = _literal(SessionFormat.choices)
CurrencyCode = _literal(questionnaire.CURRENCIES)
TimeOfDay = _literal(questionnaire.TIMES)
DayKind = _literal(questionnaire.DAYS)
Gender = _literal(questionnaire.GENDERS)
AgeBandName = _literal(AgeBand.choices)
Faith = _literal(questionnaire.FAITHS)


# --- The questionnaire


class AnswersIn(InputSchema):
    """Every answer is optional: leave a question out (or null) to skip it."""

    topics: list[TopicName] | None = None
    goals: list[GoalName] | None = None
    approaches: list[ApproachName] | None = None
    location: LocationCode | None = None
    languages: list[LanguageCode] | None = None
    formats: list[FormatName] | None = None
    budget: JsonDecimal(ge=0, le=questionnaire.BUDGET_MAX, decimal_places=2) | None = None
    currency: CurrencyCode | None = None
    times: list[TimeOfDay] | None = None
    days: list[DayKind] | None = None
    gender: Gender | None = None
    age_band: AgeBandName | None = None
    faith: Faith | None = None
    lgbtq_affirming: bool | None = None
    story: MemberText(questionnaire.STORY_MAX_LENGTH, required=False) | None = Field(
        None, description="In the member's own words, what brings them here (private to them)."
    )


class AnswersOut(Schema):
    topics: list[str] = []
    goals: list[str] = []
    approaches: list[str] = []
    location: str | None = None
    languages: list[str] = []
    formats: list[str] = []
    budget: Decimal | None = None
    currency: str | None = None
    times: list[str] = []
    days: list[str] = []
    gender: str | None = None
    age_band: str | None = None
    faith: str | None = None
    lgbtq_affirming: bool = False
    story: str | None = None


class ChoiceOut(Schema):
    value: str
    label: str


class QuestionOut(Schema):
    key: str
    kind: str
    label: str
    why: str
    choices: list[ChoiceOut]


class StepOut(Schema):
    key: str
    number: int
    title: str
    intro: str
    questions: list[QuestionOut]


class BandOut(Schema):
    name: str
    low: int
    high: int
    meaning: str


class ScoreOut(Schema):
    instrument: str
    answers: list[int | None]
    answered: int
    complete: bool
    score: int | None
    max_score: int
    band: BandOut | None


class ScreeningOut(Schema):
    phq9: ScoreOut
    gad7: ScoreOut
    note: str
    support: SupportOut | None = None


class QuestionnaireOut(Schema):
    steps: list[StepOut]
    total_steps: int
    answers: AnswersOut
    screening: ScreeningOut
    support: SupportOut | None = Field(
        None, description="Present when the member's own words speak of crisis."
    )


def _choices_of(question: questionnaire.Question) -> list[dict]:
    if question.kind == "place":
        return [
            {"value": code, "label": questionnaire.location_name(code)}
            for code in questionnaire.LOCATIONS
        ]
    return [{"value": value, "label": str(label)} for value, label in question.choices]


def _steps_out() -> list[dict]:
    return [
        {
            "key": step.key,
            "number": number,
            "title": str(step.title),
            "intro": str(step.intro),
            "questions": [
                {
                    "key": q.key,
                    "kind": q.kind,
                    "label": str(q.label),
                    "why": str(q.why),
                    "choices": _choices_of(q),
                }
                for q in step.questions
            ],
        }
        for number, step in enumerate(questionnaire.STEPS, start=1)
    ]


def _score_out(result: questionnaire.Score, answers: list[int | None]) -> dict:
    band = result.band
    return {
        "instrument": result.instrument.name,
        "answers": answers,
        "answered": result.answered,
        "complete": result.complete,
        "score": result.score,
        "max_score": result.instrument.max_score,
        "band": None
        if band is None
        else {
            "name": band.name,
            "low": band.low,
            "high": band.high,
            "meaning": str(band.meaning),
        },
    }


def _screening_out(screening: dict[str, list[int | None]], support: dict | None = None) -> dict:
    scores = questionnaire.screening_scores(screening)
    return {
        **{key: _score_out(scores[key], screening[key]) for key in scores},
        "note": str(questionnaire.SCREENING_NOTE),
        "support": support,
    }


@router.get("/care/questionnaire", response=QuestionnaireOut)
def questionnaire_get(request: HttpRequest):
    return {
        "steps": _steps_out(),
        "total_steps": questionnaire.TOTAL_STEPS,
        "answers": questionnaire.answers_of(request.user),
        "screening": _screening_out(questionnaire.screening_of(request.user)),
    }


@router.put("/care/questionnaire", response=QuestionnaireOut)
def questionnaire_put(request: HttpRequest, payload: AnswersIn):
    """Replaces the questionnaire answers (questions left out are skipped); the screening is
    kept."""
    check_write_care(request.actor)
    saved = questionnaire.do_save_answers(request.user, payload.dict(), replace=True)
    result = questionnaire_get(request)
    if saved.crisis:
        result["support"] = _support(request)
    return result


@router.delete("/care/questionnaire", response={204: None})
def questionnaire_delete(request: HttpRequest):
    """Forgets the questionnaire and the screening."""
    check_stop_care_data(request.actor)
    questionnaire.do_clear_answers(request.user)
    return Status(204, None)


# --- The screening


class ScreeningIn(InputSchema):
    """Answers 0-3 ("Not at all" … "Nearly every day") in the printed order; null or a short
    list leaves items unanswered. Items are read leniently so that PHQ-9 item 9 is always seen."""

    phq9: list[Any] | None = None
    gad7: list[Any] | None = None


class ScreeningErrorOut(Schema):
    detail: str
    # Empty when the whole request was refused (signed out, a gate) rather than an answer.
    errors: list[dict[str, str]] = Field(default_factory=list)
    support: SupportOut | None = None


def _support(request: HttpRequest) -> dict:
    return {"message": support_message(), **support_panel_content(request.user)}


def _item_errors(name: str, values: list[Any]) -> list[dict[str, str]]:
    expected = len(questionnaire.PHQ9.items if name == "phq9" else questionnaire.GAD7.items)
    if len(values) > expected:
        message = _("There are %(expected)s questions, not %(count)s.") % {
            "expected": expected,
            "count": len(values),
        }
        return [{"field": name, "message": message}]
    return [
        {"field": f"{name}.{index}", "message": _("Answers are 0, 1, 2 or 3, or null.")}
        for index, value in enumerate(values)
        if value is not None and questionnaire.parse_item(value) is None
    ]


@router.post(
    "/care/screening",
    response={
        200: ScreeningOut,
        403: ScreeningErrorOut,
        422: ScreeningErrorOut,
        429: ScreeningErrorOut,
    },
)
def screening_post(request: HttpRequest, payload: ScreeningIn):
    """Stores the answers and returns the scores and bands (a score only once every item of a
    questionnaire is answered). When PHQ-9 item 9 is above "Not at all", `support` carries the
    support panel, which apps must show at once, even alongside an error."""
    phq9, gad7 = list(payload.phq9 or []), list(payload.gad7 or [])
    item_9 = phq9[questionnaire.SELF_HARM_ITEM - 1] if len(phq9) >= 9 else None
    # Worked out before anything can fail, so no error ever keeps it away.
    support = _support(request) if questionnaire.self_harm_positive(item_9) else None
    errors = _item_errors("phq9", phq9) + _item_errors("gad7", gad7)
    if errors:
        detail = _("Please check your answers: %(fields)s") % {
            "fields": "; ".join(e["field"] for e in errors)
        }
        return Status(422, {"detail": detail, "errors": errors, "support": support})
    try:
        check_write_care(request.actor)
    except WriteRefused as error:
        return Status(error.status, {"detail": str(error), "errors": [], "support": support})
    questionnaire.do_save_screening(request.user, phq9=phq9, gad7=gad7)
    return _screening_out(questionnaire.screening_of(request.user), support)


# --- Matches


class TherapistOut(Schema):
    id: int
    professional_name: str
    pronouns: str
    statement: str
    specialties: list[str]
    approaches: list[str]
    languages: list[str]
    formats: list[str]
    fee_per_session: Decimal
    currency: str
    sliding_scale: bool
    session_minutes: int
    licensed_in: list[str]


class MatchOut(Schema):
    therapist: TherapistOut
    score: float
    reasons: list[str]
    notes: list[str]
    next_slot_at: datetime | None
    fitting_slot_at: datetime | None
    is_current: bool


class MatchesOut(Schema):
    location: str | None
    current_therapist_id: int | None
    matches: list[MatchOut]


def _match_out(match: fit.Match, current_id: int | None) -> dict:
    t = match.therapist
    return {
        "therapist": {
            "id": t.pk, "professional_name": t.professional_name, "pronouns": t.pronouns,
            "statement": t.statement, "specialties": t.specialties, "approaches": t.approaches,
            "languages": t.languages, "formats": t.formats, "fee_per_session": t.fee_per_session,
            "currency": t.currency, "sliding_scale": t.sliding_scale,
            "session_minutes": t.session_minutes, "licensed_in": list(match.licensed_in),
        },
        "score": round(match.score, 2),
        "reasons": list(match.reasons),
        "notes": list(match.notes),
        "next_slot_at": match.next_slot.starts_at if match.next_slot else None,
        "fitting_slot_at": match.fitting_slot.starts_at if match.fitting_slot else None,
        "is_current": t.pk == current_id,
    }  # fmt: skip


@router.get("/care/matches", response=MatchesOut)
def matches_list(request: HttpRequest):
    """Worked out afresh from the current answers on every call: calling it again re-matches."""
    answers = questionnaire.answers_of(request.user)
    relationship = fit.current_relationship(request.user)
    current_id = relationship.therapist_id if relationship else None
    return {
        "location": answers.get("location"),
        "current_therapist_id": current_id,
        "matches": [_match_out(m, current_id) for m in fit.rank_therapists(request.user, answers)],
    }


class ChosenOut(Schema):
    relationship_id: int
    therapist_id: int
    started_at: datetime
    ended_therapist_ids: list[int]


@router.post("/care/matches/{int:therapist_id}/choose", response=ChosenOut)
def matches_choose(request: HttpRequest, therapist_id: int):
    """Choose this therapist, or change to them: any other active care relationship ends."""
    therapist = practising_therapists().filter(pk=therapist_id).first()
    if therapist is None:
        raise Http404("No such therapist.")
    before = set(
        request.user.care_relationships.filter(status=CareRelationship.Status.ACTIVE).values_list(
            "therapist_id", flat=True
        )
    )
    check_write_care(request.actor)
    check_can_choose(request.user, therapist)
    relationship = do_choose_therapist(request.user, therapist)
    return {
        "relationship_id": relationship.pk,
        "therapist_id": therapist.pk,
        "started_at": relationship.started_at,
        "ended_therapist_ids": sorted(before - {therapist.pk}),
    }
