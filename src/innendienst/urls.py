"""Every installed app of ours that has a ``urls.py`` is included here, as ``api.py`` mounts
each app's router: a new app needs no line in this file."""

from django.apps import apps
from django.contrib import admin
from django.urls import include, path
from django.utils.module_loading import module_has_submodule

from innendienst.api import api

urlpatterns = [
    path("", include(f"{app_config.name}.urls"))
    for app_config in apps.get_app_configs()
    if app_config.name.startswith("innendienst.")
    and module_has_submodule(app_config.module, "urls")
]
urlpatterns += [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
