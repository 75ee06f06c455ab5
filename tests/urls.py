"""The project's URLconf plus the test plugin's, which stands outside the project's package."""

from django.urls import include, path

from innendienst.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("", include("tests.plugin_app.urls")),
]
