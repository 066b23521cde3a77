"""The matching questionnaire and the PHQ-9 / GAD-7 screening.

Every question is optional and says why it is asked. Answers are the member's alone and live in
MatchingAnswers.answers (encrypted at rest), one flat dict; a missing key means "skipped":

    {"topics": ["anxiety"], "goals": ["skills"], "approaches": ["cbt"], "location": "GB-SCT",
     "languages": ["en"], "formats": ["video"], "budget": "60.00", "currency": "GBP",
     "times": ["evening"], "days": ["weekdays"], "gender": "woman", "age_band": "35-50",
     "faith": "muslim", "lgbtq_affirming": true,
     "screening": {"phq9": [0, 1, None, ...], "gad7": [...]}}

PHQ-9 and GAD-7 (Spitzer, Williams, Kroenke and colleagues; free to use, no permission needed)
are scored only when every item is answered. PHQ-9 item 9 asks about thoughts of self-harm:
any answer above "Not at all" brings the support panel at once, whatever else happens.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import User
from haven.care.models import AgeBand, Approach, MatchingAnswers, SessionFormat, Specialty
from haven.core.places import country_name
from haven.core.vocabulary import LANGUAGES
from haven.safety.countries import COUNTRIES
from haven.safety.screening import screen_member_text

Choices = tuple[tuple[str, str], ...]

# --- Places: licences are granted per country, or per state / province / nation where
# licensing happens there (ISO 3166-2), so the member picks the most precise place they can.
SUBDIVISIONS: dict[str, Choices] = {
    "GB": (
        ("GB-ENG", "England"), ("GB-NIR", "Northern Ireland"), ("GB-SCT", "Scotland"),
        ("GB-WLS", "Wales"),
    ),
    "US": (
        ("US-AL", "Alabama"), ("US-AK", "Alaska"), ("US-AZ", "Arizona"), ("US-AR", "Arkansas"),
        ("US-CA", "California"), ("US-CO", "Colorado"), ("US-CT", "Connecticut"),
        ("US-DE", "Delaware"), ("US-DC", "District of Columbia"), ("US-FL", "Florida"),
        ("US-GA", "Georgia"), ("US-HI", "Hawaii"), ("US-ID", "Idaho"), ("US-IL", "Illinois"),
        ("US-IN", "Indiana"), ("US-IA", "Iowa"), ("US-KS", "Kansas"), ("US-KY", "Kentucky"),
        ("US-LA", "Louisiana"), ("US-ME", "Maine"), ("US-MD", "Maryland"),
        ("US-MA", "Massachusetts"), ("US-MI", "Michigan"), ("US-MN", "Minnesota"),
        ("US-MS", "Mississippi"), ("US-MO", "Missouri"), ("US-MT", "Montana"),
        ("US-NE", "Nebraska"), ("US-NV", "Nevada"), ("US-NH", "New Hampshire"),
        ("US-NJ", "New Jersey"), ("US-NM", "New Mexico"), ("US-NY", "New York"),
        ("US-NC", "North Carolina"), ("US-ND", "North Dakota"), ("US-OH", "Ohio"),
        ("US-OK", "Oklahoma"), ("US-OR", "Oregon"), ("US-PA", "Pennsylvania"),
        ("US-RI", "Rhode Island"), ("US-SC", "South Carolina"), ("US-SD", "South Dakota"),
        ("US-TN", "Tennessee"), ("US-TX", "Texas"), ("US-UT", "Utah"), ("US-VT", "Vermont"),
        ("US-VA", "Virginia"), ("US-WA", "Washington"), ("US-WV", "West Virginia"),
        ("US-WI", "Wisconsin"), ("US-WY", "Wyoming"),
    ),
    "CA": (
        ("CA-AB", "Alberta"), ("CA-BC", "British Columbia"), ("CA-MB", "Manitoba"),
        ("CA-NB", "New Brunswick"), ("CA-NL", "Newfoundland and Labrador"),
        ("CA-NS", "Nova Scotia"), ("CA-NT", "Northwest Territories"), ("CA-NU", "Nunavut"),
        ("CA-ON", "Ontario"), ("CA-PE", "Prince Edward Island"), ("CA-QC", "Quebec"),
        ("CA-SK", "Saskatchewan"), ("CA-YT", "Yukon"),
    ),
    "AU": (
        ("AU-ACT", "Australian Capital Territory"), ("AU-NSW", "New South Wales"),
        ("AU-NT", "Northern Territory"), ("AU-QLD", "Queensland"), ("AU-SA", "South Australia"),
        ("AU-TAS", "Tasmania"), ("AU-VIC", "Victoria"), ("AU-WA", "Western Australia"),
    ),
}  # fmt: skip


def location_choices() -> list[tuple[str, Any]]:
    """Grouped choices for a select: subdivisions of the countries that license by them, then
    every other country."""
    groups: list[tuple[str, Any]] = [
        (country_name(country), list(places)) for country, places in SUBDIVISIONS.items()
    ]
    others = sorted(
        ((code, country_name(code)) for code in COUNTRIES if code not in SUBDIVISIONS),
        key=lambda item: item[1],
    )
    return [*groups, (gettext("Other countries"), others)]


LOCATIONS: dict[str, str] = {
    **{code: name for code, name in COUNTRIES.items() if code not in SUBDIVISIONS},
    **{
        code: f"{name}, {COUNTRIES[country]}"
        for country, places in SUBDIVISIONS.items()
        for code, name in places
    },
}


def location_name(code: str) -> str:
    """A location code in words, in the reader's language ("Texas, Estados Unidos")."""
    if code not in LOCATIONS:
        return ""
    country, _, _ = code.partition("-")
    if country in SUBDIVISIONS:
        return f"{dict(SUBDIVISIONS[country])[code]}, {country_name(country)}"
    return country_name(code)


CURRENCIES: Choices = (
    ("USD", _("US dollars")),
    ("GBP", _("Pounds sterling")),
    ("EUR", _("Euros")),
    ("CAD", _("Canadian dollars")),
    ("AUD", _("Australian dollars")),
    ("NZD", _("New Zealand dollars")),
    ("INR", _("Indian rupees")),
    ("CHF", _("Swiss francs")),
    ("SEK", _("Swedish kronor")),
    ("NOK", _("Norwegian kroner")),
    ("DKK", _("Danish kroner")),
    ("ZAR", _("South African rand")),
    ("SGD", _("Singapore dollars")),
    ("JPY", _("Japanese yen")),
)
CURRENCY_SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€"}
# The likely currency for where the member lives: only the form's starting choice.
EURO_COUNTRIES = {"AT", "BE", "DE", "ES", "FI", "FR", "GR", "IE", "IT", "NL", "PT"}
LOCAL_CURRENCY = {
    "US": "USD", "GB": "GBP", "CA": "CAD", "AU": "AUD", "NZ": "NZD", "IN": "INR", "CH": "CHF",
    "SE": "SEK", "NO": "NOK", "DK": "DKK", "ZA": "ZAR", "SG": "SGD", "JP": "JPY",
    **dict.fromkeys(EURO_COUNTRIES, "EUR"),
}  # fmt: skip
BUDGET_MAX = Decimal("100000")

GOALS: Choices = (
    ("feel-better", _("Feel less low, worried or stressed from day to day")),
    ("skills", _("Learn practical ways to handle hard moments")),
    ("cope", _("Come to terms with something that happened")),
    ("understand", _("Understand myself and my patterns better")),
    ("relationships", _("Get on better with the people close to me")),
    ("habits", _("Change a habit or a behaviour")),
    ("talk", _("Have someone to talk things through with regularly")),
)
# Ways of working that suit each goal: a gentle nudge in the ranking, never a filter.
GOAL_APPROACHES: dict[str, tuple[str, ...]] = {
    "feel-better": ("cbt", "act", "mindfulness"),
    "skills": ("cbt", "dbt", "act", "solution-focused"),
    "cope": ("emdr", "person-centred", "psychodynamic"),
    "understand": ("psychodynamic", "person-centred"),
    "relationships": ("ipt", "systemic"),
    "habits": ("cbt", "dbt", "solution-focused"),
    "talk": ("person-centred", "psychodynamic"),
}

TIMES: Choices = (
    ("morning", _("Mornings (before 12:00)")),
    ("afternoon", _("Afternoons (12:00 to 17:00)")),
    ("evening", _("Evenings (from 17:00)")),
)
DAYS: Choices = (("weekdays", _("Weekdays")), ("weekends", _("Weekends")))
GENDERS: Choices = (("woman", _("A woman")), ("man", _("A man")), ("non-binary", _("Non-binary")))
FAITHS: Choices = (
    ("buddhist", _("Buddhist")),
    ("christian", _("Christian")),
    ("hindu", _("Hindu")),
    ("jewish", _("Jewish")),
    ("muslim", _("Muslim")),
    ("sikh", _("Sikh")),
)


# --- Steps and questions

STORY_MAX_LENGTH = 1000


@dataclass(frozen=True)
class Question:
    key: str
    # multi: checkboxes; single: radio buttons with "No preference"; place: a select of
    # places; amount: a sum of money; currency: a select; flag: one checkbox; text: free text.
    kind: str
    label: str
    why: str
    choices: Choices = ()


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    intro: str
    questions: tuple[Question, ...] = field(default_factory=tuple)


STEPS: tuple[Step, ...] = (
    Step(
        "topics",
        _("What brings you here"),
        _("There are no wrong answers. Choose as many as fit, or none at all."),
        (
            Question(
                "topics",
                "multi",
                _("What would you like help with?"),
                _(
                    "Therapists focus on different things. Knowing what's on your mind lets us "
                    "suggest people with experience of it."
                ),
                tuple(Specialty.choices),
            ),
            Question(
                "story",
                "text",
                _("In your own words, what brings you here?"),
                _(
                    "Only if you'd like to. We compare it with how therapists describe their work, "
                    "to suggest those who know what you're facing. Only you can see it."
                ),
            ),
        ),
    ),
    Step(
        "goals",
        _("What you hope for"),
        _("Think about what you'd like to be different after a few months of sessions."),
        (
            Question(
                "goals",
                "multi",
                _("What would you like to get out of therapy?"),
                _(
                    "Therapists work in different ways, and some ways suit some hopes better. We "
                    "use this to favour therapists whose way of working fits."
                ),
                GOALS,
            ),
            Question(
                "approaches",
                "multi",
                _("Is there a kind of therapy you'd like to try, or know works for you?"),
                _(
                    "If you already know what helps you, we put therapists who offer it first. "
                    "It's fine not to know."
                ),
                tuple(Approach.choices),
            ),
        ),
    ),
    Step(
        "location",
        _("Where you live"),
        _("Therapists may only work with people in places where they hold a licence."),
        (
            Question(
                "location",
                "place",
                _("Where do you live?"),
                _(
                    "A therapist must be licensed where you are, so we only suggest therapists "
                    "licensed there. Nobody else sees your answer."
                ),
            ),
        ),
    ),
    Step(
        "language",
        _("Language"),
        _("Therapy works best in the language you feel most yourself in."),
        (
            Question(
                "languages",
                "multi",
                _("Which languages would you be comfortable using?"),
                _("We only suggest therapists who speak one of them."),
                tuple((code, _(name)) for code, name in LANGUAGES),
            ),
        ),
    ),
    Step(
        "format",
        _("How you'd like to meet"),
        _("Some people like seeing a face; some find it easier to write."),
        (
            Question(
                "formats",
                "multi",
                _("Which kinds of session would suit you?"),
                _(
                    "Not every therapist offers both, so we only suggest those who offer one you "
                    "chose."
                ),
                tuple(SessionFormat.choices),
            ),
        ),
    ),
    Step(
        "budget",
        _("Budget"),
        _("Therapy costs money, and it's fine to say how much you can manage."),
        (
            Question(
                "budget",
                "amount",
                _("The most you could pay for one session"),
                _(
                    "We only suggest therapists whose fee fits, plus those who offer a sliding "
                    "scale (they may lower their fee if you ask)."
                ),
            ),
            Question(
                "currency",
                "currency",
                _("Currency"),
                _("Fees are compared in the same currency."),
                CURRENCIES,
            ),
        ),
    ),
    Step(
        "availability",
        _("When suits you"),
        _("Times are in your own time zone."),
        (
            Question(
                "times",
                "multi",
                _("Which times of day could you usually make?"),
                _("We look for therapists with free sessions at times that suit you."),
                TIMES,
            ),
            Question(
                "days",
                "multi",
                _("Which days?"),
                _("Some therapists work weekends, some only weekdays."),
                DAYS,
            ),
        ),
    ),
    Step(
        "therapist",
        _("About your therapist"),
        _(
            "Some people feel more at ease with a particular kind of person. These preferences "
            "help us order the list; they never hide anyone from you."
        ),
        (
            Question(
                "gender",
                "single",
                _("Would you prefer a therapist of a particular gender?"),
                _("Feeling comfortable with your therapist matters a lot for how therapy goes."),
                GENDERS,
            ),
            Question(
                "age_band",
                "single",
                _("Would you prefer a therapist of a particular age?"),
                _("Some people find it easier to talk to someone nearer their own age, or not."),
                tuple(AgeBand.choices),
            ),
            Question(
                "faith",
                "single",
                _("Would you like a therapist who shares your faith?"),
                _("For some people faith is central to what they bring to therapy."),
                FAITHS,
            ),
            Question(
                "lgbtq_affirming",
                "flag",
                _("I'd like a therapist with LGBTQ+-affirming experience"),
                _("For LGBTQ+ people, a therapist who affirms who you are makes it safer to talk."),
            ),
        ),
    ),
)
STEP_KEYS: tuple[str, ...] = tuple(step.key for step in STEPS)
QUESTIONS: dict[str, Question] = {q.key: q for step in STEPS for q in step.questions}
# The screening page is the last step of the questionnaire.
TOTAL_STEPS = len(STEPS) + 1
SCREENING_STEP_NUMBER = TOTAL_STEPS


def step_by_key(key: str) -> Step | None:
    return next((step for step in STEPS if step.key == key), None)


# --- Cleaning answers: one place decides what a valid answer is, for the form, the API and
# for reading what was stored.


def _choice_values(question: Question) -> set[str]:
    return {value for value, _ in question.choices}


def clean_answer(question: Question, value: Any) -> Any:
    """A valid stored value for this question, or None (skipped). Unknown values are dropped
    rather than refused: an answer is never a reason to fail."""
    if value is None or value == "" or value == []:
        return None
    if question.kind == "multi":
        if not isinstance(value, list | tuple):
            return None
        given = {str(v) for v in value}
        # Kept in the question's own order, so the same answers always store the same way.
        chosen = [v for v, _ in question.choices if v in given]
        return chosen or None
    if question.kind in ("single", "currency"):
        return value if isinstance(value, str) and value in _choice_values(question) else None
    if question.kind == "place":
        code = str(value).upper()
        return code if code in LOCATIONS else None
    if question.kind == "amount":
        try:
            amount = Decimal(str(value)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            return None
        return str(amount) if Decimal(0) <= amount <= BUDGET_MAX else None
    if question.kind == "flag":
        return True if value is True else None
    if question.kind == "text":
        text = " ".join(str(value).split())[:STORY_MAX_LENGTH] if isinstance(value, str) else ""
        return text or None
    return None


def clean_answers(raw: dict | None) -> dict[str, Any]:
    """Only known questions with valid values; the screening is kept apart."""
    raw = raw if isinstance(raw, dict) else {}
    cleaned = {}
    for key, question in QUESTIONS.items():
        value = clean_answer(question, raw.get(key))
        if value is not None:
            cleaned[key] = value
    # A currency means nothing without a budget.
    if "budget" not in cleaned:
        cleaned.pop("currency", None)
    elif "currency" not in cleaned:
        cleaned["currency"] = default_currency(cleaned.get("location", ""))
    return cleaned


def default_currency(location: str) -> str:
    return LOCAL_CURRENCY.get(location.split("-", 1)[0], "USD")


# --- Reading and saving


def stored_answers(member: User) -> dict[str, Any]:
    """Everything the member stored, or {} (nothing is created on a read)."""
    row = MatchingAnswers.objects.filter(member=member).first()
    return dict(row.answers or {}) if row is not None else {}


def answers_of(member: User) -> dict[str, Any]:
    """The member's questionnaire answers, cleaned (no screening)."""
    return clean_answers(stored_answers(member))


def screening_of(member: User) -> dict[str, list[int | None]]:
    return clean_screening(stored_answers(member).get("screening"))


def _save(member: User, change) -> MatchingAnswers:
    with transaction.atomic():
        row, _ = MatchingAnswers.objects.select_for_update().get_or_create(member=member)
        answers = dict(row.answers or {})
        change(answers)
        row.answers = answers
        row.updated_at = timezone.now()
        row.save(update_fields=["answers", "updated_at"])
        return row


@dataclass(frozen=True)
class SavedAnswers:
    answers: dict[str, Any]
    # The member's own words spoke of crisis: show them the support panel now (never stored).
    crisis: bool


def do_save_answers(
    member: User, updates: dict[str, Any], *, replace: bool = False
) -> SavedAnswers:
    """Store questionnaire answers. `updates` maps question keys to values; None (or an empty
    value) removes an answer. With replace=True every question not in `updates` is removed too
    (the API's PUT). The screening is never touched here. The free-text story passes the
    safety pipeline on its private surface, whichever way it came in."""
    unknown = set(updates) - set(QUESTIONS)
    if unknown:
        raise ValueError(f"Unknown questions: {', '.join(sorted(unknown))}")
    crisis = screen_story(member, clean_answer(QUESTIONS["story"], updates.get("story")))

    def change(answers: dict) -> None:
        screening = answers.get("screening")
        current = {} if replace else clean_answers(answers)
        for key, value in updates.items():
            cleaned = clean_answer(QUESTIONS[key], value)
            if cleaned is None:
                current.pop(key, None)
            else:
                current[key] = cleaned
        answers.clear()
        answers.update(clean_answers(current))
        if screening is not None:
            answers["screening"] = screening

    return SavedAnswers(clean_answers(_save(member, change).answers), crisis)


def screen_story(member: User, story: str | None) -> bool:
    """The member's own words are private to them (no queue, no label kept), yet crisis words
    still bring the support panel, as in the journal. Returns whether they did."""

    if not story:
        return False
    verdict = screen_member_text(story, surface="questionnaire", author=member)
    return verdict.decision.support_panel


def do_clear_answers(member: User) -> None:
    """Forget the questionnaire and the screening altogether."""
    MatchingAnswers.objects.filter(member=member).delete()


# --- Screening: PHQ-9 and GAD-7

FREQUENCY: Choices = (
    ("0", _("Not at all")),
    ("1", _("Several days")),
    ("2", _("More than half the days")),
    ("3", _("Nearly every day")),
)


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    name: str  # a code: "minimal" … "severe"
    meaning: str

    @property
    def label(self) -> str:
        """The name in the reader's language."""
        return str(BAND_LABELS.get(self.name, self.name))


BAND_LABELS = {
    "minimal": pgettext_lazy("screening score band", "minimal"),
    "mild": pgettext_lazy("screening score band", "mild"),
    "moderate": pgettext_lazy("screening score band", "moderate"),
    "moderately severe": pgettext_lazy("screening score band", "moderately severe"),
    "severe": pgettext_lazy("screening score band", "severe"),
}


@dataclass(frozen=True)
class Instrument:
    key: str
    name: str
    about: str
    stem: str
    items: tuple[str, ...]
    bands: tuple[Band, ...]

    @property
    def max_score(self) -> int:
        return 3 * len(self.items)


PHQ9 = Instrument(
    key="phq9",
    name="PHQ-9",
    about=_("Nine questions about low mood, used by doctors and therapists around the world."),
    stem=_("Over the last 2 weeks, how often have you been bothered by any of the following "
    "problems?"),
    items=(
        _("Little interest or pleasure in doing things"),
        _("Feeling down, depressed, or hopeless"),
        _("Trouble falling or staying asleep, or sleeping too much"),
        _("Feeling tired or having little energy"),
        _("Poor appetite or overeating"),
        _("Feeling bad about yourself — or that you are a failure or have let yourself or your "
        "family down"),
        _("Trouble concentrating on things, such as reading the newspaper or watching television"),
        _("Moving or speaking so slowly that other people could have noticed? Or the opposite — "
        "being so fidgety or restless that you have been moving around a lot more than usual"),
        _("Thoughts that you would be better off dead or of hurting yourself in some way"),
    ),
    bands=(
        Band(0, 4, "minimal", _("Few or no signs of low mood over the last two weeks.")),
        Band(5, 9, "mild", _("Some signs of low mood. Worth keeping an eye on, and talking "
             "about if it goes on.")),
        Band(10, 14, "moderate", _("Low mood that is likely getting in the way of daily life. "
             "Talking to a professional could really help.")),
        Band(15, 19, "moderately severe", _("Low mood that is weighing on you a lot. This is a "
             "good reason to talk to a professional soon.")),
        Band(20, 27, "severe", _("Low mood that is very heavy right now. Please talk to a "
             "professional soon: your doctor, or a therapist.")),
    ),
)  # fmt: skip

GAD7 = Instrument(
    key="gad7",
    name="GAD-7",
    about=_("Seven questions about worry and anxiety, used by doctors and therapists around the "
    "world."),
    stem=_("Over the last 2 weeks, how often have you been bothered by the following problems?"),
    items=(
        _("Feeling nervous, anxious, or on edge"),
        _("Not being able to stop or control worrying"),
        _("Worrying too much about different things"),
        _("Trouble relaxing"),
        _("Being so restless that it is hard to sit still"),
        _("Becoming easily annoyed or irritable"),
        _("Feeling afraid, as if something awful might happen"),
    ),
    bands=(
        Band(0, 4, "minimal", _("Few or no signs of anxiety over the last two weeks.")),
        Band(5, 9, "mild", _("Some signs of anxiety. Worth keeping an eye on, and talking about "
             "if it goes on.")),
        Band(10, 14, "moderate", _("Anxiety that is likely getting in the way of daily life. "
             "Talking to a professional could really help.")),
        Band(15, 21, "severe", _("Anxiety that is weighing on you a lot. This is a good reason "
             "to talk to a professional soon.")),
    ),
)  # fmt: skip

INSTRUMENTS: tuple[Instrument, ...] = (PHQ9, GAD7)
SELF_HARM_ITEM = 9  # PHQ-9 item 9, numbered from 1 as on the printed form
SEVERE_BANDS = {"moderately severe", "severe"}
SCREENING_NOTE = _(
    "This is not a diagnosis. These questionnaires are a quick way to notice how much low mood "
    "and worry have been weighing on you lately. Only a professional who talks with you can "
    "tell what's going on, and scores change as life does."
)
ATTRIBUTION = _(
    "PHQ-9 and GAD-7 were developed by Drs. Robert L. Spitzer, Janet B. W. Williams, Kurt "
    "Kroenke and colleagues, with an educational grant from Pfizer Inc. No permission is "
    "required to reproduce, translate, display or distribute them."
)


def band_for(instrument: Instrument, score: int) -> Band:
    for band in instrument.bands:
        if band.low <= score <= band.high:
            return band
    raise ValueError(f"{instrument.name} score out of range: {score}")


@dataclass(frozen=True)
class Score:
    instrument: Instrument
    answered: int
    score: int | None  # None until every item is answered
    band: Band | None

    @property
    def complete(self) -> bool:
        return self.score is not None

    @property
    def is_severe(self) -> bool:
        return self.band is not None and self.band.name in SEVERE_BANDS


def score(instrument: Instrument, answers: list[int | None]) -> Score:
    """The total and its band, only when every item has an answer: a partial total would
    understate how someone is doing."""
    values = [a for a in answers if a is not None]
    if len(answers) != len(instrument.items) or len(values) != len(instrument.items):
        return Score(instrument, len(values), None, None)
    total = sum(values)
    return Score(instrument, len(values), total, band_for(instrument, total))


def score_phq9(answers: list[int | None]) -> Score:
    return score(PHQ9, answers)


def score_gad7(answers: list[int | None]) -> Score:
    return score(GAD7, answers)


def parse_item(value: Any) -> int | None:
    """0-3 from a form or JSON value, or None (unanswered or not a valid answer)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= 3 else None
    if isinstance(value, str) and value.strip() in {"0", "1", "2", "3"}:
        return int(value.strip())
    return None


def self_harm_positive(value: Any) -> bool:
    """PHQ-9 item 9 above "Not at all". Read on its own, before anything else is checked, so
    nothing (a missing answer, an error elsewhere) can keep the support panel away."""
    answer = parse_item(value)
    return answer is not None and answer > 0


def clean_screening(raw: Any) -> dict[str, list[int | None]]:
    raw = raw if isinstance(raw, dict) else {}
    cleaned = {}
    for instrument in INSTRUMENTS:
        given = raw.get(instrument.key)
        given = list(given) if isinstance(given, list | tuple) else []
        given = (given + [None] * len(instrument.items))[: len(instrument.items)]
        cleaned[instrument.key] = [parse_item(v) for v in given]
    return cleaned


def screening_scores(screening: dict[str, list[int | None]]) -> dict[str, Score]:
    screening = clean_screening(screening)
    return {i.key: score(i, screening[i.key]) for i in INSTRUMENTS}


def do_save_screening(
    member: User, *, phq9: list[int | None], gad7: list[int | None]
) -> dict[str, Score]:
    """Store the screening answers (partial answers too) and return the scores."""
    screening = clean_screening({"phq9": phq9, "gad7": gad7})

    def change(answers: dict) -> None:
        answers["screening"] = screening

    _save(member, change)
    return screening_scores(screening)
