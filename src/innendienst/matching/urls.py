from django.urls import path

from innendienst.matching import views
from innendienst.matching.models import RecordKind

urlpatterns = [
    path("duplicates/check/company/", views.company_hints, name="duplicate_hints_company"),
    path(
        "duplicates/check/person/<int:company_id>/",
        views.person_hints,
        name="duplicate_hints_person",
    ),
    path(
        "duplicates/companies/",
        views.queue,
        {"kind": RecordKind.COMPANY},
        name="duplicate_queue_company",
    ),
    path(
        "duplicates/people/",
        views.queue,
        {"kind": RecordKind.PERSON},
        name="duplicate_queue_person",
    ),
    path(
        "duplicates/companies/scan/",
        views.scan_start,
        {"kind": RecordKind.COMPANY},
        name="duplicate_scan_company",
    ),
    path(
        "duplicates/people/scan/",
        views.scan_start,
        {"kind": RecordKind.PERSON},
        name="duplicate_scan_person",
    ),
    path("duplicates/pairs/<int:pair_id>/", views.pair_compare, name="duplicate_pair"),
    path("duplicates/pairs/<int:pair_id>/reject/", views.pair_reject, name="duplicate_reject"),
    path("duplicates/merges/", views.merge_list, name="duplicate_merges"),
    path("duplicates/merges/<int:merge_id>/undo/", views.merge_undo, name="duplicate_undo"),
]
