"""``/<list>/export.csv`` and ``.xlsx`` for every export kind an app registers, and the page
and file of an export written by the worker."""

from django.urls import path

from innendienst.core import registry
from innendienst.exports import views, writers

urlpatterns = [
    path("exports/<int:export_id>/", views.export_detail, name="export_detail"),
    path("exports/<int:export_id>/file", views.export_file, name="export_file"),
    *(
        path(
            f"{kind.path}/export.{fmt}",
            views.export,
            {"kind_name": kind.name, "fmt": fmt},
            name=f"export_{kind.name}_{fmt}",
        )
        for kind in registry.export_kinds()
        for fmt in writers.FORMATS
    ),
]
