from django.contrib import admin
from django.urls import include, path, re_path

from haven.api.urls import api, api_not_found

urlpatterns = [
    path("", include("haven.core.urls")),
    path("", include("haven.safety.urls")),
    path("", include("haven.accounts.urls")),
    path("", include("haven.communities.urls")),
    path("", include("haven.forums.urls")),
    path("", include("haven.updates.urls")),
    path("", include("haven.notifications.urls")),
    path("", include("haven.moderation.urls")),
    path("", include("haven.chat.urls")),
    path("", include("haven.wellness.urls")),
    path("", include("haven.care.urls")),
    path("", include("haven.matching.urls")),
    path("api/", api.urls),
    # Any other /api/ address (an id that is not a number, a typo) answers JSON, as the API does.
    re_path(r"^api/", api_not_found),
    path("admin/", admin.site.urls),
]

handler400 = "haven.core.views.bad_request"
handler403 = "haven.core.views.permission_denied"
handler404 = "haven.core.views.page_not_found"
handler500 = "haven.core.views.server_error"
