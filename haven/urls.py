from django.contrib import admin
from django.urls import include, path

from haven.api.urls import api

urlpatterns = [
    path("", include("haven.core.urls")),
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
    path("admin/", admin.site.urls),
]

handler400 = "haven.core.views.bad_request"
handler403 = "haven.core.views.permission_denied"
handler404 = "haven.core.views.page_not_found"
handler500 = "haven.core.views.server_error"
