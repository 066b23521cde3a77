from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.cache import cache_page
from django.views.i18n import JavaScriptCatalog

from haven import installed_app
from haven.api.urls import api, api_not_found

# The admin says whose it is, in the site's own name.
admin.site.site_header = admin.site.site_title = f"{settings.HAVEN_SITE_NAME} administration"
admin.site.index_title = "Run the community"

urlpatterns = [
    path("", include("haven.core.urls")),
    path("favicon.ico", installed_app.favicon, name="favicon"),
    path("manifest.webmanifest", installed_app.manifest, name="manifest"),
    # At the root, so the worker may answer for every page of the site.
    path("sw.js", installed_app.service_worker, name="service_worker"),
    path("offline/", installed_app.offline, name="offline"),
    # The scripts' words in the reader's language (djangojs catalogues), built once an hour per
    # language: the cache key carries the active language.
    path(
        "jsi18n/",
        cache_page(3600)(JavaScriptCatalog.as_view(domain="djangojs")),
        name="javascript_catalog",
    ),
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
    path("", include("haven.rooms.urls")),
    path("", include("haven.direct_messages.urls")),
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
