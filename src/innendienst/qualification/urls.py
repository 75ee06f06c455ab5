from django.urls import path

from innendienst.qualification import views

urlpatterns = [
    path("qualification/", views.queue, name="requalification_queue"),
    path("qualification/report/", views.report, name="qualification_report"),
    path("qualification/checklists/", views.checklists, name="checklist_list"),
    path(
        "companies/<int:company_id>/requalified/",
        views.requalified,
        name="company_requalified",
    ),
]
