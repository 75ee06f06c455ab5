from django.urls import path

from innendienst.matching import views

urlpatterns = [
    path("duplicates/check/company/", views.company_hints, name="duplicate_hints_company"),
    path(
        "duplicates/check/person/<int:company_id>/",
        views.person_hints,
        name="duplicate_hints_person",
    ),
]
