from django.urls import path

from innendienst.imports import views

urlpatterns = [
    path("imports/", views.import_list, name="import_list"),
    path("imports/new/", views.import_new, name="import_new"),
    path("imports/<int:import_id>/", views.import_detail, name="import_detail"),
    path("imports/<int:import_id>/undo/", views.import_undo, name="import_undo"),
    path("imports/<int:import_id>/errors.xlsx", views.import_errors, name="import_errors"),
]
