from django.contrib import admin, messages

from haven.chat.actions import do_revoke_listener
from haven.chat.models import ListenerProfile


@admin.register(ListenerProfile)
class ListenerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "status", "is_online", "max_chats", "passed_quiz_at"]
    list_filter = ["status", "is_online"]
    search_fields = ["user__pseudonym"]
    actions = ["revoke_listeners"]
    # Conversations and messages are deliberately not in the admin: chats are private to their
    # participants, and moderators read one only through the queue, when it is reported.

    @admin.action(description="Revoke the listener role")
    def revoke_listeners(self, request, queryset) -> None:
        for profile in queryset.select_related("user"):
            do_revoke_listener(profile, reason="Revoked by an admin.", acting_user=request.user)
        messages.success(request, "The listener role is revoked.")
