"""Only the public library is in the admin. Journal entries, check-ins, safety plans and
reminder settings are deliberately absent: they are private to one person, staff included."""

from django.contrib import admin

from haven.wellness.library import (
    do_grant_library_role,
    do_revoke_library_role,
    do_withdraw_resource,
)
from haven.wellness.models import LibraryRole, Resource, ResourceReview


@admin.register(LibraryRole)
class LibraryRoleAdmin(admin.ModelAdmin):
    list_display = ["member", "role", "credential", "granted_by", "granted_at"]
    list_filter = ["role"]
    search_fields = ["member__pseudonym"]
    autocomplete_fields = ["member"]
    fields = ["member", "role", "credential"]

    def save_model(self, request, obj, form, change) -> None:
        # Through the actions, so every grant and revocation is in the audit log.
        if change and "role" in form.changed_data:
            do_revoke_library_role(obj.member, form.initial["role"], acting_user=request.user)
        granted = do_grant_library_role(
            obj.member, obj.role, credential=obj.credential, acting_user=request.user
        )
        obj.pk = granted.pk  # the admin's own log and message point at the saved row

    def delete_model(self, request, obj) -> None:
        do_revoke_library_role(obj.member, obj.role, acting_user=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for role in queryset.select_related("member"):
            self.delete_model(request, role)


class ReviewInline(admin.TabularInline):
    model = ResourceReview
    extra = 0
    can_delete = False
    readonly_fields = ["reviewer_pseudonym", "credential", "revision", "reviewed_at", "notes"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "language", "kind", "category", "status", "revision", "updated_at"]
    list_filter = ["status", "language", "kind", "category"]
    search_fields = ["title", "summary"]
    readonly_fields = ["status", "revision", "author", "published_at"]
    inlines = [ReviewInline]
    actions = ["withdraw"]
    # Text is edited on the site, where edits bump the revision and ask for a new review.
    fields = ["title", "slug", "kind", "category", "status", "revision", "author", "published_at"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Withdraw from the library")
    def withdraw(self, request, queryset) -> None:
        for resource in queryset:
            do_withdraw_resource(resource, acting_user=request.user)
