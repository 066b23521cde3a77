from django.contrib import admin

from haven.safety.models import CrisisResource


@admin.register(CrisisResource)
class CrisisResourceAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "phone", "text", "is_emergency_number", "sort_order"]
    list_filter = ["country", "is_emergency_number"]
    search_fields = ["name", "country_name"]
