"""Every change to accounts: sign-up, guidelines, profile, roles, tokens, deletion, export."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from haven.accounts.export import export_parts
from haven.accounts.guidelines import forget_cached_version
from haven.accounts.models import Guidelines, Role, User
from haven.accounts.revocation import do_revoke_access
from haven.accounts.signals import role_changed
from haven.accounts.tokens import do_create_api_token  # noqa: F401  (where callers find it)
from haven.core import fulltext


@transaction.atomic
def do_create_user(
    pseudonym: str,
    password: str | None,
    *,
    guidelines_version: int,
    email: str = "",
    role: str = Role.MEMBER,
) -> User:
    user = User.objects.create_user(
        pseudonym,
        password,
        email=email,
        role=role,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
        guidelines_version=guidelines_version,
        guidelines_accepted_at=timezone.now() if guidelines_version else None,
    )
    return user


def do_accept_guidelines(user: User, version: int) -> None:
    user.guidelines_version = version
    user.guidelines_accepted_at = timezone.now()
    user.save(update_fields=["guidelines_version", "guidelines_accepted_at"])


@transaction.atomic
def do_publish_guidelines(body: str, *, summary_of_changes: str = "") -> Guidelines:
    latest = Guidelines.objects.select_for_update().order_by("-version").first()
    guidelines = Guidelines.objects.create(
        version=(latest.version + 1) if latest else 1,
        body=body,
        summary_of_changes=summary_of_changes,
    )
    # Forget now for this transaction, and again after commit in case a concurrent request
    # cached the old version in between.
    forget_cached_version()
    transaction.on_commit(forget_cached_version)
    return guidelines


@transaction.atomic
def do_update_profile(user: User, *, bio: str, topics: list[str], country: str, email: str):
    """Profiles are screened like posts but cannot wait for review: whatever the policy would
    hold is refused with the same words, so the member can change it. Returns the verdict."""
    from haven.moderation.actions import do_file_verdict
    from haven.safety.screening import TextNeedsReviewChoice, screen_member_text

    verdict = None
    if bio or topics:
        verdict = screen_member_text(
            "\n".join([bio, ", ".join(topics)]),
            surface="profile",
            author=user,
            send_for_review=True,
        )
        if verdict.decision.hold:
            raise TextNeedsReviewChoice(verdict)
    user.bio = bio
    user.topics = topics
    user.country = country
    user.email = email
    user.save(update_fields=["bio", "topics", "country", "email"])
    if verdict is not None:
        do_file_verdict(verdict, member=user)
    from haven.matching.people import profile_changed

    profile_changed(user)
    return verdict


@transaction.atomic
def do_change_user_role(user: User, role: str, *, acting_user: User | None) -> User:
    """A new role is a new set of powers (and perhaps a second factor to pass), so the member's
    tokens and sessions end: they sign in again as who they now are. Only this member's: the
    admin making the change stays signed in."""
    old_role = User.objects.filter(pk=user.pk).values_list("role", flat=True).first()
    user.role = role
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.save(update_fields=["role", "is_staff", "is_superuser"])
    if old_role != role:
        do_revoke_access(user, reason="role_changed")
        role_changed.send(
            sender=User, user=user, old_role=old_role, new_role=role, acting_user=acting_user
        )
    return user


@transaction.atomic
def do_delete_account(user: User, *, erase_content: bool) -> None:
    """Erase the account. Posts are erased, or kept and shown as written by a deleted member.

    Updates, reactions, follows, memberships and notifications are personal and always go.
    """
    from haven.accounts.erasure import run_erasers
    from haven.accounts.revocation import do_revoke_access
    from haven.forums.actions import do_erase_posts_of

    if erase_content:
        do_erase_posts_of(user)
    # Higher apps end what is open (live chats) and erase what they keep (haven.accounts.erasure).
    run_erasers(user, erase_content=erase_content)
    # Open sockets close after commit, like sessions and tokens.
    do_revoke_access(user, reason="deleted")
    fulltext.remove_documents("update", list(user.updates.values_list("pk", flat=True)))
    user.delete()


def export_user_data(user: User) -> dict[str, Any]:
    """Everything Haven holds about a member, in a form they can read and take elsewhere."""
    from haven.forums.models import Post, Reaction
    from haven.updates.models import Follow

    posts = Post.objects.filter(author=user, is_deleted=False).select_related("thread__community")
    return {
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "pseudonym": user.pseudonym,
            "email": user.email,
            "role": user.role,
            "bio": user.bio,
            "topics": user.topics,
            "country": user.country,
            "date_joined": user.date_joined.isoformat(),
            "guidelines_version_accepted": user.guidelines_version,
        },
        "communities": [
            {"community": m.community.slug, "role": m.role, "joined_at": m.joined_at.isoformat()}
            for m in user.memberships.select_related("community")
        ],
        "posts": [
            {
                "id": post.pk,
                "community": post.thread.community.slug,
                "thread_id": post.thread_id,
                "thread_title": post.thread.title if post.depth == 0 else None,
                "is_opening_post": post.depth == 0,
                "anonymous": post.is_anonymous,
                "body": post.body,
                "created_at": post.created_at.isoformat(),
                "edited_at": post.edited_at.isoformat() if post.edited_at else None,
            }
            for post in posts
        ],
        "reactions_given": [
            {"post_id": r.post_id, "kind": r.kind, "created_at": r.created_at.isoformat()}
            for r in Reaction.objects.filter(user=user)
        ],
        "updates": [
            {
                "id": u.pk,
                "body": u.body,
                "mood": u.mood,
                "visibility": u.visibility,
                "created_at": u.created_at.isoformat(),
            }
            for u in user.updates.all()
        ],
        **_wellness_export(user),
        "care": _care_export(user),
        "peer_matching": _peer_matching_export(user),
        "following": list(
            Follow.objects.filter(follower=user).values_list("followed__pseudonym", flat=True)
        ),
        "followers": list(
            Follow.objects.filter(followed=user).values_list("follower__pseudonym", flat=True)
        ),
        # Chats, chat requests, notifications, reports: each app adds its own part.
        **export_parts(user),
    }


def _peer_matching_export(user: User) -> dict[str, Any]:
    """Whether the member chose to be found by peers, in their words; a listener's experience."""
    from haven.chat.models import ListenerProfile
    from haven.matching.models import PeerProfile

    profile = PeerProfile.objects.filter(member=user).first()
    listener = ListenerProfile.objects.filter(user=user).first()
    return {
        "findable_by_peers": profile is not None,
        "what_you_have_been_through": profile.experience if profile else "",
        "listener_experience": listener.experience if listener else "",
    }


def _care_export(user: User) -> dict[str, Any]:
    """Professional care: a member's own record (never the therapist's session notes); for a
    therapist, only the messages they wrote (see haven.care.messaging.queries.care_export)."""
    from haven.care.messaging.queries import care_export

    return care_export(user)


def _wellness_export(user: User) -> dict[str, Any]:
    """The member's private wellness data, decrypted: it is theirs to take."""
    from haven.wellness.checkins import checkin_rows
    from haven.wellness.models import JournalEntry, ResourceFavourite, SafetyPlan
    from haven.wellness.safety_plan import STEP_KEYS

    plan = SafetyPlan.objects.filter(member=user).first()
    return {
        "journal": [
            {
                "id": entry.pk,
                "title": entry.title,
                "body": entry.body,
                "tags": entry.tags,
                "mood": entry.mood,
                "created_at": entry.created_at.isoformat(),
                "updated_at": entry.updated_at.isoformat(),
            }
            for entry in JournalEntry.objects.filter(author=user)
        ],
        "mood_checkins": checkin_rows(user),
        "safety_plan": (
            {key: plan.steps.get(key, []) for key in STEP_KEYS} if plan is not None else None
        ),
        "saved_resources": list(
            ResourceFavourite.objects.filter(member=user).values_list("resource__slug", flat=True)
        ),
    }
