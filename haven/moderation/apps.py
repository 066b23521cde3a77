from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "haven.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from haven.accounts.signals import role_changed
        from haven.moderation.audit_receivers import audit_role_change

        role_changed.connect(audit_role_change, dispatch_uid="moderation.audit_role_change")
