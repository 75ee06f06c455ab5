from django.urls import path

from innendienst.leads import views

urlpatterns = [
    path("leads/", views.lead_inbox, name="lead_inbox"),
    path("leads/stages/", views.stage_definitions, name="lead_stage_definitions"),
    path("leads/sla/", views.sla_report, name="lead_sla_report"),
    path("leads/<int:lead_id>/", views.lead_detail, name="lead_detail"),
    path("leads/<int:lead_id>/move/", views.lead_move, name="lead_move"),
    path("leads/<int:lead_id>/assign/", views.lead_assign, name="lead_assign"),
    path("companies/<int:company_id>/leads/new/", views.lead_capture, name="lead_capture"),
]
