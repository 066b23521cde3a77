"""Two-factor authentication (django-otp): required of therapists, moderators (site and
community) and admins, who see other people's private words or their care. An authenticator
app (TOTP) and ten single-use backup codes."""

import base64
import secrets
from collections.abc import Callable

import segno
from django.db import transaction
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.accounts.models import Role, User

TWO_FACTOR_ROLES = {Role.THERAPIST, Role.MODERATOR, Role.ADMIN}
BACKUP_CODES = 10

# Duties held outside the site role that also see private words, registered by the apps that
# own them (communities: a community moderator can see who wrote an anonymous post). Each rule
# answers for one member; accounts cannot import those apps.
_two_factor_duties: list[Callable[[User], bool]] = []


def register_two_factor_duty(rule: Callable[[User], bool]) -> None:
    if rule not in _two_factor_duties:
        _two_factor_duties.append(rule)


def requires_two_factor(user: User) -> bool:
    if not user.is_authenticated:
        return False
    if user.role in TWO_FACTOR_ROLES or user.is_staff or user.is_superuser:
        return True
    return any(rule(user) for rule in _two_factor_duties)


def has_confirmed_device(user: User) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def pending_totp_device(user: User) -> TOTPDevice:
    """The authenticator being set up: one unconfirmed device, reused until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def setup_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG QR code (no image requests, no third party)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#1d2b36")


def secret_for_typing(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def do_confirm_totp_device(request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator with a first code; returns fresh backup codes, or None when the
    code is wrong."""
    if not device.verify_token(code.replace(" ", "")):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = do_regenerate_backup_codes(request.user)
    otp_login(request, device)
    return codes


def do_regenerate_backup_codes(user: User) -> list[str]:
    static, _ = StaticDevice.objects.get_or_create(user=user, name="Backup codes")
    static.token_set.all().delete()
    codes = [secrets.token_hex(4) for _ in range(BACKUP_CODES)]
    for code in codes:
        StaticToken.objects.create(device=static, token=code)
    return codes


def do_verify_second_factor(request, code: str) -> bool:
    """Check a code from the authenticator or a backup code; mark the session verified."""
    code = code.replace(" ", "").strip()
    if not code:
        return False
    for device in devices_for_user(request.user, confirmed=True):
        if device.verify_token(code):
            otp_login(request, device)
            return True
    return False


def verify_code_for(user: User, code: str) -> bool:
    """For the API's token sign-in, where there is no session to mark."""
    code = code.replace(" ", "").strip()
    return bool(code) and any(
        device.verify_token(code) for device in devices_for_user(user, confirmed=True)
    )


def session_passed_second_factor(user: User, session) -> bool:
    """django_otp's test for a session without a request (a socket): the session names a
    confirmed device of this member. The one implementation: actors, the telehealth room and
    socket_may_open all ask it."""

    if session is None or not user.is_authenticated:
        return False
    persistent_id = session.get(DEVICE_ID_SESSION_KEY)
    device = Device.from_persistent_id(persistent_id) if persistent_id else None
    return device is not None and device.user_id == user.pk and device.confirmed


def socket_may_open(scope: dict) -> bool:
    """A socket of someone whose role needs a second factor opens only from a session that
    passed it, as their pages and the API do."""
    user = scope.get("user")
    if user is None or not requires_two_factor(user):
        return True
    return session_passed_second_factor(user, scope.get("session"))
