"""``/<list>/export.csv`` and ``.xlsx`` for every export kind an app registers."""

from django.urls import path

from innendienst.core import registry
from innendienst.exports import views, writers

urlpatterns = [
    path(
        f"{kind.path}/export.{fmt}",
        views.export,
        {"kind_name": kind.name, "fmt": fmt},
        name=f"export_{kind.name}_{fmt}",
    )
    for kind in registry.export_kinds()
    for fmt in writers.FORMATS
]
