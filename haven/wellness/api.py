"""The wellness tools in the JSON API: the same actions and access rules as the pages."""

from datetime import date, datetime
from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status

from haven.accounts.api_auth import member_auth
from haven.accounts.zones import member_today
from haven.core.api_schemas import (
    InputSchema,
    JsonDecimal,
    MemberText,
    PageNumber,
    PageOf,
    paginate,
)
from haven.safety.api import ResourceLinkOut, SupportOut
from haven.safety.support import support_message, support_panel_content
from haven.wellness import checkins, insights, journal, library, safety_plan
from haven.wellness.models import (
    CHECKIN_NOTE_MAX_LENGTH,
    JOURNAL_BODY_MAX_LENGTH,
    JOURNAL_MAX_TAGS,
    JOURNAL_TITLE_MAX_LENGTH,
    SAFETY_PLAN_ITEM_MAX_LENGTH,
    SAFETY_PLAN_MAX_ITEMS,
    Feeling,
    JournalEntry,
    MoodCheckIn,
    Resource,
)
from haven.wellness.permissions import (
    access_checkin,
    access_journal_entry,
    access_resource,
    check_delete_private,
    check_set_favourite,
    check_write_private,
    check_write_safety_plan,
)

router = Router(auth=member_auth, tags=["wellness"])

Mood = Annotated[int, Field(ge=1, le=10)]
Tag = MemberText(30)
FeelingName = Literal[tuple(Feeling.values)]  # type: ignore[valid-type]
StepName = Literal[tuple(safety_plan.STEP_KEYS)]  # type: ignore[valid-type]
PlanItem = MemberText(SAFETY_PLAN_ITEM_MAX_LENGTH)


# --- Journal


class JournalEntryIn(InputSchema):
    title: MemberText(JOURNAL_TITLE_MAX_LENGTH, required=False) = ""
    body: MemberText(JOURNAL_BODY_MAX_LENGTH)
    tags: list[Tag] = Field(default_factory=list, max_length=JOURNAL_MAX_TAGS)
    mood: Mood | None = None


class JournalEntryOut(Schema):
    id: int
    title: str
    body: str
    tags: list[str]
    mood: int | None
    created_at: datetime
    updated_at: datetime
    support: SupportOut | None = None
    resources: list[ResourceLinkOut] = Field(
        default_factory=list,
        description="Vetted resources found for this entry by a background job, for the "
        "writer alone; empty until the job has run.",
    )


class JournalPageOut(PageOf):
    items: list[JournalEntryOut]


def _entry_out(entry: JournalEntry) -> dict:
    return {
        "id": entry.pk, "title": entry.title, "body": entry.body, "tags": entry.tags,
        "mood": entry.mood, "created_at": entry.created_at, "updated_at": entry.updated_at,
    }  # fmt: skip


def _private_support(request: HttpRequest, saved: journal.SavedEntry) -> dict | None:
    if not saved.crisis:
        return None
    return {
        "message": support_message(),
        **support_panel_content(request.user, moderators_told=False),
    }


@router.get("/journal", response=JournalPageOut)
def journal_list(request: HttpRequest, q: str = "", tag: str = "", page: PageNumber = 1):
    entries = journal.journal_entries_of(request.user, query=q[:200], tag=tag[:30])
    items, meta = paginate(entries, page)
    return {**meta, "items": [_entry_out(e) for e in items]}


@router.post("/journal", response={201: JournalEntryOut})
def journal_create(request: HttpRequest, payload: JournalEntryIn):
    check_write_private(request.actor)
    saved = journal.do_create_journal_entry(**payload.dict(), acting_user=request.user)
    return Status(201, {**_entry_out(saved.entry), "support": _private_support(request, saved)})


@router.get("/journal/{int:entry_id}", response=JournalEntryOut)
def journal_get(request: HttpRequest, entry_id: int):
    entry = access_journal_entry(request.user, entry_id)
    resources = library.resources_by_ids(entry.suggested_resources)
    return {
        **_entry_out(entry),
        "resources": [{"title": r.title, "url": r.get_absolute_url()} for r in resources],
    }


@router.put("/journal/{int:entry_id}", response=JournalEntryOut)
def journal_edit(request: HttpRequest, entry_id: int, payload: JournalEntryIn):
    entry = access_journal_entry(request.user, entry_id)
    check_write_private(request.actor)
    saved = journal.do_edit_journal_entry(entry, **payload.dict(), acting_user=request.user)
    return {**_entry_out(saved.entry), "support": _private_support(request, saved)}


@router.delete("/journal/{int:entry_id}", response={204: None})
def journal_delete(request: HttpRequest, entry_id: int):
    entry = access_journal_entry(request.user, entry_id)
    check_delete_private(request.actor)
    journal.do_delete_journal_entry(entry, acting_user=request.user)
    return Status(204, None)


# --- Mood check-ins


class CheckInIn(InputSchema):
    mood: Mood
    feelings: list[FeelingName] = Field(default_factory=list, max_length=len(Feeling.values))
    sleep_hours: JsonDecimal(ge=0, le=24, max_digits=3, decimal_places=1) | None = None
    note: MemberText(CHECKIN_NOTE_MAX_LENGTH, required=False) = ""


class CheckInOut(Schema):
    id: int
    mood: int
    feelings: list[str]
    sleep_hours: float | None
    note: str
    local_date: date
    created_at: datetime


class CheckInPageOut(PageOf):
    items: list[CheckInOut]


class ChartPointOut(Schema):
    label: str
    start: date
    mood: float | None
    count: int


class MoodSummaryOut(Schema):
    period: Literal["week", "month", "year"]
    points: list[ChartPointOut]
    average: float | None
    top_feelings: list[tuple[str, int]]
    current_streak: int
    longest_streak: int
    summaries: list[str]


def _checkin_out(checkin: MoodCheckIn) -> dict:
    return {
        "id": checkin.pk, "mood": checkin.mood, "feelings": checkin.feelings,
        "sleep_hours": float(checkin.sleep_hours) if checkin.sleep_hours is not None else None,
        "note": checkin.note, "local_date": checkin.local_date, "created_at": checkin.created_at,
    }  # fmt: skip


@router.get("/checkins", response=CheckInPageOut)
def checkin_list(request: HttpRequest, page: PageNumber = 1):
    items, meta = paginate(MoodCheckIn.objects.filter(member=request.user), page)
    return {**meta, "items": [_checkin_out(c) for c in items]}


@router.post("/checkins", response={201: CheckInOut})
def checkin_create(request: HttpRequest, payload: CheckInIn):
    check_write_private(request.actor)
    checkin = checkins.do_check_in(**payload.dict(), acting_user=request.user)
    return Status(201, _checkin_out(checkin))


@router.delete("/checkins/{int:checkin_id}", response={204: None})
def checkin_delete(request: HttpRequest, checkin_id: int):
    check_delete_private(request.actor)
    checkins.do_delete_checkin(access_checkin(request.user, checkin_id), acting_user=request.user)
    return Status(204, None)


@router.get("/checkins/summary", response=MoodSummaryOut)
def checkin_summary(request: HttpRequest, period: Literal["week", "month", "year"] = "week"):
    today = member_today(request.user)
    points = checkins.checkin_points(request.user)
    chart = insights.mood_chart(points, period, today)
    run = insights.streak((p.day for p in points), today)
    return {
        "period": period,
        "points": chart.points,
        "average": chart.average,
        "top_feelings": chart.top_feelings,
        "current_streak": run.current,
        "longest_streak": run.longest,
        "summaries": insights.gentle_summaries(points, today),
    }


@router.get("/checkins/export.csv", response={200: str}, openapi_extra={
    "responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}
})  # fmt: skip
def checkin_csv(request: HttpRequest):
    response = HttpResponse(checkins.checkins_csv(request.user), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="haven-mood-check-ins.csv"'
    response["Cache-Control"] = "no-store"
    return response


# --- Resource library


class ReviewOut(Schema):
    reviewer: str
    credential: str
    reviewed_at: datetime
    expires_at: datetime


class ResourceSummaryOut(Schema):
    slug: str
    title: str
    kind: str
    category: str
    tags: list[str]
    summary: str
    reading_minutes: int
    is_favourite: bool
    language: str = Field(description="The language it is written in (a code such as es).")


class ResourceOut(ResourceSummaryOut):
    body: str
    author: str | None
    review_state: Literal["current", "changed", "expired", "never"]
    review: ReviewOut | None
    related: list[ResourceSummaryOut]


class ResourcePageOut(PageOf):
    items: list[ResourceSummaryOut]


def _resource_summary(resource: Resource, favourites: set[int]) -> dict:
    return {
        "slug": resource.slug, "title": resource.title, "kind": resource.kind,
        "category": resource.category, "tags": resource.tags, "summary": resource.summary,
        "reading_minutes": resource.reading_minutes, "is_favourite": resource.pk in favourites,
        "language": resource.language,
    }  # fmt: skip


@router.get("/resources", response=ResourcePageOut)
def resource_list(
    request: HttpRequest, q: str = "", category: str = "", kind: str = "", page: PageNumber = 1
):
    resources = (
        library.search_resources(q[:200]) if q.strip() else list(library.published_resources())
    )
    # Each resource once, in the reader's language where it is written in it, as on the page.
    resources = library.in_reader_language(resources, complete=not q.strip())
    # Unknown values are ignored, as on the page.
    if category in Resource.Category.values:
        resources = [r for r in resources if r.category == category]
    if kind in Resource.Kind.values:
        resources = [r for r in resources if r.kind == kind]
    favourites = library.favourite_ids(request.user)
    items, meta = paginate(resources, page)
    return {**meta, "items": [_resource_summary(r, favourites) for r in items]}


@router.get("/resources/{slug}", response=ResourceOut)
def resource_get(request: HttpRequest, slug: str):
    resource = access_resource(request.user, slug)
    favourites = library.favourite_ids(request.user)
    status = library.review_status(resource)
    review = status.review
    return {
        **_resource_summary(resource, favourites),
        "body": resource.body,
        "author": resource.author.pseudonym if resource.author else None,
        "review_state": status.state,
        "review": (
            {
                "reviewer": review.reviewer_pseudonym,
                "credential": review.credential,
                "reviewed_at": review.reviewed_at,
                "expires_at": review.expires_at,
            }
            if review
            else None
        ),
        "related": [_resource_summary(r, favourites) for r in library.related_resources(resource)],
    }


class FavouriteOut(Schema):
    slug: str
    is_favourite: bool


@router.put("/resources/{slug}/favourite", response=FavouriteOut)
def resource_favourite(request: HttpRequest, slug: str):
    resource = access_resource(request.user, slug)
    check_set_favourite(request.actor)
    if resource.pk not in library.favourite_ids(request.user):
        library.do_toggle_favourite(resource, acting_user=request.user)
    return {"slug": slug, "is_favourite": True}


@router.delete("/resources/{slug}/favourite", response=FavouriteOut)
def resource_unfavourite(request: HttpRequest, slug: str):
    resource = access_resource(request.user, slug)
    check_set_favourite(request.actor)
    if resource.pk in library.favourite_ids(request.user):
        library.do_toggle_favourite(resource, acting_user=request.user)
    return {"slug": slug, "is_favourite": False}


# --- Safety plan


class PlanStepOut(Schema):
    key: str
    title: str
    question: str
    examples: list[str]
    items: list[str]


class SafetyPlanOut(Schema):
    steps: list[PlanStepOut]
    updated_at: datetime


class PlanStepIn(InputSchema):
    items: list[PlanItem] = Field(max_length=SAFETY_PLAN_MAX_ITEMS)


def _plan_out(plan) -> dict:
    return {
        "steps": [
            {
                "key": step.key,
                "title": str(step.title),
                "question": str(step.question),
                "examples": [str(example) for example in step.examples],
                "items": items,
            }
            for step, items in safety_plan.plan_items(plan)
        ],
        "updated_at": plan.updated_at,
    }


@router.get("/safety-plan", response=SafetyPlanOut)
def plan_get(request: HttpRequest):
    return _plan_out(safety_plan.plan_of(request.user))


@router.put("/safety-plan/{step}", response=SafetyPlanOut)
def plan_step_put(request: HttpRequest, step: StepName, payload: PlanStepIn):
    check_write_safety_plan(request.actor)
    return _plan_out(safety_plan.do_save_plan_step(request.user, step, payload.items))
