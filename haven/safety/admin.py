from django.contrib import admin

from haven.safety.models import CrisisResource


@admin.register(CrisisResource)
class CrisisResourceAdmin(admin.ModelAdmin):
    list_display = [
        "name", "country", "language", "phone", "text", "is_emergency_number", "sort_order"
    ]  # fmt: skip
    list_filter = ["country", "language", "is_emergency_number"]
    search_fields = ["name", "country_name"]
