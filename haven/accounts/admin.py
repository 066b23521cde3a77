from django.contrib import admin

from haven.accounts.actions import do_change_user_role, do_delete_account, do_publish_guidelines
from haven.accounts.models import Guidelines, GuidelinesTranslation, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["pseudonym", "role", "is_active", "date_joined"]
    list_filter = ["role", "is_active"]
    search_fields = ["pseudonym"]
    # The e-mail stays out of the admin: it exists for recovery only.
    fields = [
        "pseudonym", "role", "bio", "topics", "country", "language", "is_active", "date_joined"
    ]  # fmt: skip
    readonly_fields = ["date_joined"]

    def save_model(self, request, obj, form, change) -> None:
        role = form.cleaned_data["role"]
        if change and "role" in form.changed_data:
            # The role action makes the change (and ends the member's tokens and sessions).
            obj.role = form.initial["role"]
        super().save_model(request, obj, form, change)
        if "role" in form.changed_data:
            do_change_user_role(obj, role, acting_user=request.user)

    # Deleting here is an account deletion like the member's own (every app's erasure, their
    # sessions and sockets ended, the deletion ledger), not a bare row delete. The admin cannot
    # ask which the member prefers, so their posts stay, shown as a "Deleted member".
    def delete_model(self, request, obj) -> None:
        do_delete_account(obj, erase_content=False)

    def delete_queryset(self, request, queryset) -> None:
        for user in queryset:
            do_delete_account(user, erase_content=False)


@admin.register(Guidelines)
class GuidelinesAdmin(admin.ModelAdmin):
    """Adding guidelines publishes a new version; every member re-accepts it."""

    list_display = ["version", "published_at", "summary_of_changes"]
    fields = ["body", "summary_of_changes"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a published version never changes: publish a new one instead

    def save_model(self, request, obj, form, change) -> None:
        published = do_publish_guidelines(obj.body, summary_of_changes=obj.summary_of_changes)
        obj.pk, obj.version = published.pk, published.version


@admin.register(GuidelinesTranslation)
class GuidelinesTranslationAdmin(admin.ModelAdmin):
    """A version's words in another language; the version itself, and who accepted it, stay."""

    list_display = ["guidelines", "language"]
    list_filter = ["language"]
    fields = ["guidelines", "language", "body"]
