"""Each area of professional care keeps its routes beside its views."""

from haven.care.views import booking, matching, messaging, telehealth, therapists

app_name = "care"
urlpatterns = [
    *therapists.urlpatterns,
    *matching.urlpatterns,
    *booking.urlpatterns,
    *messaging.urlpatterns,
    *telehealth.urlpatterns,
]
