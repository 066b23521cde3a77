from django.apps import AppConfig


def moderates_any_community(user) -> bool:
    from haven.communities.models import Membership

    return Membership.objects.filter(user=user, role=Membership.Role.MODERATOR).exists()


class CommunitiesConfig(AppConfig):
    name = "haven.communities"
    label = "communities"
    verbose_name = "Communities"

    def ready(self) -> None:
        # A community moderator sees who wrote an anonymous post: a second factor, like staff.
        from haven.accounts.two_factor import register_two_factor_duty

        register_two_factor_duty(moderates_any_community)
