"""The resource library: written by editors, reviewed by verified professionals, read by all.

A review covers one revision of the text and lasts settings.HAVEN_RESOURCE_REVIEW_DAYS; after an
edit or when it expires the resource stays readable but says plainly that it is due for review.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from haven.accounts.models import User
from haven.core import fulltext
from haven.core.language import reader_language, reader_language_first
from haven.core.search_index import Namespace, forget, request_embedding
from haven.moderation.actions import record_audit
from haven.wellness.models import LibraryRole, Resource, ResourceFavourite, ResourceReview
from haven.wellness.permissions import check_can_edit_resources, check_can_review_resources

DEMO_RESOURCES = Path(__file__).parent / "data" / "resources.json"
# Translations, each its own resource with its own review (content, not the catalogue).
DEMO_RESOURCE_FILES = (DEMO_RESOURCES, Path(__file__).parent / "data" / "resources_es.json")
TEXT_FIELDS = ("title", "summary", "body")


@dataclass(frozen=True)
class ReviewStatus:
    review: ResourceReview | None
    # "current", "changed" (edited since), "expired" or "never"
    state: str

    @property
    def is_current(self) -> bool:
        return self.state == "current"


def review_status(resource: Resource, now: datetime | None = None) -> ReviewStatus:
    review = resource.reviews.first()
    if review is None:
        return ReviewStatus(None, "never")
    if review.revision != resource.revision:
        return ReviewStatus(review, "changed")
    if review.expires_at <= (now or timezone.now()):
        return ReviewStatus(review, "expired")
    return ReviewStatus(review, "current")


def links_cache_key(kind: str, language: str) -> str:
    return f"wellness:links:{kind}:{language}"


def _index(resource: Resource) -> None:
    """Keep the search index and the cached links (support panel, health notices) current."""
    cache.delete_many(
        [
            links_cache_key(kind, language)
            for kind in ("misinformation", "crisis")
            for language, _name in settings.LANGUAGES
        ]
    )
    if resource.status == Resource.Status.PUBLISHED:
        text = " ".join([resource.title, resource.summary, " ".join(resource.tags), resource.body])
        fulltext.index_document("resource", resource.pk, text)
        request_embedding(Namespace.RESOURCE, [resource.pk])
    else:
        fulltext.remove_document("resource", resource.pk)
        forget(Namespace.RESOURCE, [resource.pk])


@transaction.atomic
def do_create_resource(*, acting_user: User, **fields) -> Resource:
    check_can_edit_resources(acting_user)
    resource = Resource.objects.create(author=acting_user, status=Resource.Status.DRAFT, **fields)
    return resource


@transaction.atomic
def do_edit_resource(resource: Resource, *, acting_user: User, **fields) -> Resource:
    check_can_edit_resources(acting_user)
    text_changed = any(
        field in fields and fields[field] != getattr(resource, field) for field in TEXT_FIELDS
    )
    for name, value in fields.items():
        setattr(resource, name, value)
    if text_changed:
        resource.revision += 1
    resource.updated_at = timezone.now()
    resource.save()
    _index(resource)
    return resource


@transaction.atomic
def do_review_resource(resource: Resource, *, notes: str = "", acting_user: User) -> ResourceReview:
    """Record that a verified professional read this revision and found it sound; a draft is
    published by its first review."""
    check_can_review_resources(acting_user, resource)
    role = LibraryRole.objects.get(member=acting_user, role=LibraryRole.Role.REVIEWER)
    review = ResourceReview.objects.create(
        resource=resource,
        reviewer=acting_user,
        reviewer_pseudonym=acting_user.pseudonym,
        credential=role.credential or "verified professional",
        revision=resource.revision,
        notes=notes,
    )
    if resource.status == Resource.Status.DRAFT:
        resource.status = Resource.Status.PUBLISHED
        resource.published_at = review.reviewed_at
        resource.save(update_fields=["status", "published_at"])
    _index(resource)
    return review


@transaction.atomic
def do_withdraw_resource(resource: Resource, *, acting_user: User) -> None:
    check_can_edit_resources(acting_user)
    resource.status = Resource.Status.WITHDRAWN
    resource.save(update_fields=["status"])
    _index(resource)


@transaction.atomic
def do_grant_library_role(
    member: User, role: str, *, credential: str = "", acting_user: User | None
) -> LibraryRole:
    granted, _ = LibraryRole.objects.update_or_create(
        member=member,
        role=role,
        defaults={"credential": credential, "granted_by": acting_user},
    )
    record_audit(
        acting_user,
        "library_role_granted",
        target_kind="member",
        target_id=member.pk,
        details={"role": role, "credential": credential},
    )
    return granted


@transaction.atomic
def do_revoke_library_role(member: User, role: str, *, acting_user: User | None) -> None:
    LibraryRole.objects.filter(member=member, role=role).delete()
    record_audit(
        acting_user,
        "library_role_revoked",
        target_kind="member",
        target_id=member.pk,
        details={"role": role},
    )


def published_resources() -> QuerySet[Resource]:
    return Resource.objects.filter(status=Resource.Status.PUBLISHED).select_related("author")


def in_reader_language(resources: list[Resource], *, complete: bool = False) -> list[Resource]:
    """Each resource once, in the reader's language where a published version of it exists,
    those in the reader's language first (each group in the given order). ``complete`` says
    every published version is already in the list, so none needs looking up."""
    language = reader_language()
    chosen: dict[int, Resource] = {}
    for resource in resources:
        current = chosen.get(resource.work_id)
        if current is None or (resource.language == language != current.language):
            chosen[resource.work_id] = resource
    elsewhere = [work for work, r in chosen.items() if r.language != language]
    if elsewhere and not complete:
        versions = published_resources().filter(
            Q(pk__in=elsewhere) | Q(translation_of_id__in=elsewhere), language=language
        )
        for version in versions:
            chosen[version.work_id] = version
    return reader_language_first(chosen.values(), lambda r: r.language)


def other_versions(resource: Resource) -> list[Resource]:
    """The same resource in other languages, for "also in"."""
    work = resource.work_id
    return list(
        published_resources()
        .filter(Q(pk=work) | Q(translation_of_id=work))
        .exclude(pk=resource.pk)
        .order_by("language")
    )


def resources_by_ids(ids: list[int]) -> list[Resource]:
    """Suggestions stored as ids (on a journal entry, a chat request), in their order, leaving
    out any withdrawn since."""

    found = published_resources().in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def search_resources(query: str) -> list[Resource]:
    hits = [hit.object_id for hit in fulltext.search(query, ("resource",))]
    found = {r.pk: r for r in published_resources().filter(pk__in=hits)}
    return [found[pk] for pk in hits if pk in found]


def related_resources(resource: Resource, limit: int = 3) -> list[Resource]:
    """Others in the same category or sharing tags, the most shared tags first."""
    tags = set(resource.tags)
    work = resource.work_id
    candidates = in_reader_language(
        list(published_resources().exclude(Q(pk=work) | Q(translation_of_id=work))), complete=True
    )

    def closeness(other: Resource) -> tuple[int, int, str]:
        shared = len(tags & set(other.tags))
        return (-(shared + 2 * (other.category == resource.category)),
                -(other.kind == resource.kind), other.title)  # fmt: skip

    ranked = sorted(candidates, key=closeness)
    related = [r for r in ranked if closeness(r)[0] < 0]
    return reader_language_first(related, lambda r: r.language)[:limit]


def resources_for_misinformation(limit: int = 3) -> list[Resource]:
    """Vetted reading to put beside a post labelled as possible health misinformation."""
    resources = [r for r in published_resources() if r.misinformation_topics]
    # Medication first: it is what harmful health claims here are most often about.
    resources.sort(key=lambda r: ("medication" not in r.misinformation_topics, r.title))
    return in_reader_language(resources, complete=True)[:limit]


def resources_for_crisis(limit: int = 3) -> list[Resource]:
    resources = [r for r in published_resources() if r.crisis_related]
    resources.sort(key=lambda r: (r.kind != Resource.Kind.CRISIS, r.title))
    return in_reader_language(resources, complete=True)[:limit]


def favourite_ids(member: User) -> set[int]:
    if not member.is_authenticated:
        return set()
    return set(
        ResourceFavourite.objects.filter(member=member).values_list("resource_id", flat=True)
    )


def do_toggle_favourite(resource: Resource, *, acting_user: User) -> bool:
    """Save or unsave; returns whether it is now saved."""
    deleted, _ = ResourceFavourite.objects.filter(member=acting_user, resource=resource).delete()
    if deleted:
        return False
    ResourceFavourite.objects.get_or_create(member=acting_user, resource=resource)
    return True


@transaction.atomic
def load_demo_resources(*, editor: User, reviewer_for: Callable[[str], User]) -> int:
    """The library written for Haven; idempotent by slug. reviewer_for(credential) gives the
    reviewer holding that credential."""
    created = 0
    items = [
        item
        for path in DEMO_RESOURCE_FILES
        for item in json.loads(path.read_text(encoding="utf-8"))
    ]
    for item in items:  # originals first: translations name theirs by slug
        original = item.get("translation_of")
        fields = {
            "title": item["title"], "kind": item["kind"], "category": item["category"],
            "tags": item["tags"], "summary": item["summary"], "body": item["body"],
            "misinformation_topics": item["misinformation_topics"],
            "crisis_related": item["crisis_related"],
            "language": item.get("language", settings.LANGUAGE_CODE),
            "translation_of": Resource.objects.get(slug=original) if original else None,
        }  # fmt: skip
        resource = Resource.objects.filter(slug=item["slug"]).first()
        if resource is None:
            resource = Resource.objects.create(
                slug=item["slug"], author=editor, status=Resource.Status.DRAFT, **fields
            )
            created += 1
        elif any(getattr(resource, k) != v for k, v in fields.items()):
            for name, value in fields.items():
                setattr(resource, name, value)
            resource.revision += 1
            resource.save()
        if not review_status(resource).is_current:
            reviewer = reviewer_for(item["reviewer_credential"])
            do_review_resource(resource, acting_user=reviewer, notes="Demo review.")
    return created
