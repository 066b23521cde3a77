from django.contrib import admin
from django.db import transaction

from haven.communities.actions import do_delete_community, do_reindex_community
from haven.communities.models import Community, Membership


class ModeratorInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "joined_at"]
    raw_id_fields = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(role=Membership.Role.MODERATOR)


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "language", "is_sensitive", "created_at"]
    # is_sensitive: starting threads needs the "sensitive_threads" trust level (is editable here).
    list_filter = ["language", "is_sensitive"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ModeratorInline]

    # Saved through communities' actions, so search and suggestions follow every change.
    @transaction.atomic
    def save_model(self, request, obj: Community, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        do_reindex_community(obj)

    def delete_model(self, request, obj: Community) -> None:
        do_delete_community(obj)

    def delete_queryset(self, request, queryset) -> None:
        for community in queryset:
            do_delete_community(community)
