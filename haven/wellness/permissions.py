"""Who may see and do what in the wellness tools.

Private tools (journal, check-ins, safety plan) answer 404 to everyone but their owner, staff
included: an existence leak is a leak. The library is public to members; writing and reviewing
need a library role.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from haven.accounts.actors import Actor
from haven.accounts.gates import check_can_write
from haven.accounts.models import User
from haven.wellness.models import JournalEntry, LibraryRole, MoodCheckIn, Resource


def access_journal_entry(viewer: User, entry_id: int) -> JournalEntry:
    try:
        return JournalEntry.objects.get(pk=entry_id, author_id=viewer.pk)
    except JournalEntry.DoesNotExist:
        raise Http404("No such journal entry.") from None


def access_checkin(viewer: User, checkin_id: int) -> MoodCheckIn:
    try:
        return MoodCheckIn.objects.get(pk=checkin_id, member_id=viewer.pk)
    except MoodCheckIn.DoesNotExist:
        raise Http404("No such check-in.") from None


def library_roles_of(user: User) -> set[str]:
    if not user.is_authenticated or not user.is_active:
        return set()
    cached = getattr(user, "_library_roles", None)
    if cached is None:
        cached = set(LibraryRole.objects.filter(member=user).values_list("role", flat=True))
        user._library_roles = cached
    return cached


def can_edit_resources(user: User) -> bool:
    return LibraryRole.Role.EDITOR in library_roles_of(user) or getattr(user, "is_admin", False)


def can_review_resources(user: User) -> bool:
    return LibraryRole.Role.REVIEWER in library_roles_of(user)


def check_can_edit_resources(user: User) -> None:
    if not can_edit_resources(user):
        raise PermissionDenied(_("Only members with the editor role can write resources."))


def check_can_review_resources(user: User, resource: Resource) -> None:
    if not can_review_resources(user):
        raise PermissionDenied(_("Only verified reviewers can review resources."))
    # A second pair of eyes is the point of a review.
    if resource.author_id == user.pk:
        raise PermissionDenied(_("A resource is reviewed by someone other than its writer."))


def check_write_private(actor: Actor) -> None:
    """Journal, check-ins, wellness settings: one's own tools."""
    check_can_write(actor, "private")


def check_write_safety_plan(actor: Actor) -> None:
    """The safety plan and its sharing: a way to help, so nothing else uses up its limit."""
    check_can_write(actor, "safety_plan")


def check_delete_private(actor: Actor) -> None:
    """Deleting one's own entry or check-in, or stopping a share."""
    check_can_write(actor, "delete")


def check_set_favourite(actor: Actor) -> None:
    check_can_write(actor, "favourite")


def check_write_library(actor: Actor) -> None:
    check_can_write(actor, "library")
    check_can_edit_resources(actor.user)


def check_review_library(actor: Actor, resource: Resource) -> None:
    check_can_write(actor, "library")
    check_can_review_resources(actor.user, resource)


def access_resource(viewer: User, slug: str) -> Resource:
    """Published resources for everyone; drafts only for editors and reviewers."""
    try:
        resource = Resource.objects.select_related("author").get(slug=slug)
    except Resource.DoesNotExist:
        raise Http404("No such resource.") from None
    if resource.status != Resource.Status.PUBLISHED and not (
        can_edit_resources(viewer) or can_review_resources(viewer)
    ):
        raise Http404("No such resource.")
    return resource
