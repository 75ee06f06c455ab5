"""The project's URLconf plus the one line a new app adds."""

from django.urls import include, path

from innendienst.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("", include("tests.plugin_app.urls")),
]
