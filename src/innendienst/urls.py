"""Each app brings its own ``urls.py``; a new app adds one line here."""

from django.contrib import admin
from django.urls import include, path

from innendienst.api import api

urlpatterns = [
    path("", include("innendienst.core.urls")),
    path("", include("innendienst.accounts.urls")),
    path("", include("innendienst.overview.urls")),
    path("", include("innendienst.contacts.urls")),
    path("", include("innendienst.privacy.urls")),
    path("", include("innendienst.activities.urls")),
    path("", include("innendienst.leads.urls")),
    path("", include("innendienst.imports.urls")),
    path("", include("innendienst.exports.urls")),
    path("", include("innendienst.matching.urls")),
    path("", include("innendienst.qualification.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
