from django.urls import path

from innendienst.activities import views

urlpatterns = [
    path(
        "companies/<int:company_id>/activities/new/",
        views.activity_create,
        name="activity_create",
    ),
    path("activities/<int:activity_id>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:activity_id>/done/", views.activity_complete, name="activity_complete"),
]
