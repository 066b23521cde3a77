"""How communities plugs into the apps below it, connected once every app's models have
loaded (haven.core.apps.connect_app_wiring)."""

from haven.accounts.two_factor import register_two_factor_duty
from haven.communities.models import Membership


def moderates_any_community(user) -> bool:
    return Membership.objects.filter(user=user, role=Membership.Role.MODERATOR).exists()


def connect() -> None:
    # A community moderator sees who wrote an anonymous post: a second factor, like staff.
    register_two_factor_duty(moderates_any_community)
