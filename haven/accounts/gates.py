"""The one gate every write passes, whatever the way in: `check_can_write(actor, action)`.

Every verb check (`check_reply_to_thread`, `check_edit_post`, `check_send_message`, …) calls it
first. Here: a signed-in, active account that accepted the guidelines in force and, for roles
that need it, passed the second factor. Higher apps add their own gates in their
AppConfig.ready with `register_write_gate` (moderation: mutes, suspensions, bans, rate limits),
since accounts may not import them. Rate limits count what was done, not what was tried: a
caller records a successful write with `record_write(actor, action)`.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext, gettext_noop

from haven.accounts.actors import Actor
from haven.accounts.guidelines import needs_to_accept_guidelines
from haven.accounts.two_factor import requires_two_factor


class WriteRefused(PermissionDenied):
    """A write refused by a gate: a plain message for the member and a code for apps."""

    code = "refused"
    status = 403

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class GuidelinesNotAccepted(WriteRefused):
    code = "guidelines_not_accepted"


class TwoFactorRequired(WriteRefused):
    code = "two_factor_required"


class RateLimited(WriteRefused):
    """Too many actions in a short time: answered with 429, a kind message that says when to
    try again, and `retry_after` seconds (the Retry-After header)."""

    code = "rate_limited"
    status = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)


# In English, marked for translation: each refusal says it in the language then active.
GUIDELINES_MESSAGE = gettext_noop(
    "Our community guidelines have changed. Please take a moment to read and accept them at "
    "/guidelines/ (apps: GET /api/guidelines, then POST /api/guidelines/accept), then you can "
    "carry on."
)
TWO_FACTOR_MESSAGE = gettext_noop(
    "Your role needs two-factor authentication: please confirm a code at /accounts/two-factor/ "
    "first."
)

WriteGate = Callable[[Actor, str], None]
_write_gates: list[WriteGate] = []
WriteRecorder = Callable[[Actor, str], None]
_write_recorders: list[WriteRecorder] = []


def register_write_gate(gate: WriteGate) -> None:
    """Add a gate (raising a WriteRefused) that every write passes; idempotent."""
    if gate not in _write_gates:
        _write_gates.append(gate)


LoginGate = Callable[[object], None]
_login_gates: list[LoginGate] = []


def register_login_gate(gate: LoginGate) -> None:
    """Add a check (raising PermissionDenied) that signing in passes; idempotent."""
    if gate not in _login_gates:
        _login_gates.append(gate)


def check_login_allowed(user) -> None:
    """May this member sign in now (moderation: not while suspended)?"""
    for gate in _login_gates:
        gate(user)


def register_write_recorder(recorder: WriteRecorder) -> None:
    """Add what runs when a write is done (moderation: counting it towards its rate limit)."""
    if recorder not in _write_recorders:
        _write_recorders.append(recorder)


def record_write(actor: Actor, action: str) -> None:
    """Count a write that succeeded: call it once the `do_*` action has returned (its own
    transaction committed), never before, so a refused or failed attempt costs nothing."""
    if action not in settings.HAVEN_WRITE_ACTIONS:
        raise ValueError(f"Unknown write action {action!r}: add it to HAVEN_WRITE_ACTIONS.")
    for recorder in _write_recorders:
        recorder(actor, action)


def check_guidelines_accepted(user) -> None:

    if needs_to_accept_guidelines(user):
        raise GuidelinesNotAccepted(gettext(GUIDELINES_MESSAGE))


def check_can_write(actor: Actor, action: str) -> None:
    """May this actor write now? `action` names the kind of write (a key of
    settings.HAVEN_WRITE_ACTIONS, which maps it to its rate limit group)."""

    if action not in settings.HAVEN_WRITE_ACTIONS:
        raise ValueError(f"Unknown write action {action!r}: add it to HAVEN_WRITE_ACTIONS.")
    user = actor.user
    if not user.is_authenticated:
        raise WriteRefused(gettext("Please sign in first."), code="not_signed_in")
    if not user.is_active:
        raise WriteRefused(gettext("This account is closed."), code="account_closed")
    check_guidelines_accepted(user)
    if requires_two_factor(user) and not actor.two_factor_verified:
        raise TwoFactorRequired(gettext(TWO_FACTOR_MESSAGE))
    for gate in _write_gates:
        gate(actor, action)
