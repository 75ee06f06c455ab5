from django.urls import path

from innendienst.leads import views, views_configuration, views_reports
from innendienst.leads.views_model import score_model

urlpatterns = [
    path("leads/", views.lead_inbox, name="lead_inbox"),
    path("leads/stages/", views.stage_definitions, name="lead_stage_definitions"),
    path("leads/sla/", views.sla_report, name="lead_sla_report"),
    path("leads/bulk/", views.lead_bulk, name="lead_bulk"),
    path("leads/conversion/", views_reports.lead_conversion, name="lead_conversion"),
    path("leads/sla/rules/", views_configuration.sla_rules, name="lead_sla_rules"),
    path("leads/capacities/", views_configuration.capacities, name="lead_capacities"),
    path("leads/assignments/", views_reports.lead_assignments, name="lead_assignments"),
    path("leads/score-model/", score_model, name="lead_score_model"),
    path("leads/<int:lead_id>/", views.lead_detail, name="lead_detail"),
    path("leads/<int:lead_id>/move/", views.lead_move, name="lead_move"),
    path("leads/<int:lead_id>/assign/", views.lead_assign, name="lead_assign"),
    path("leads/<int:lead_id>/follow-up/", views.lead_follow_up, name="lead_follow_up"),
    path("companies/<int:company_id>/leads/new/", views.lead_capture, name="lead_capture"),
    path("leads/new/", views.lead_quick_entry, name="lead_quick_entry"),
    path("leads/company-hints/", views.lead_company_hints, name="lead_company_hints"),
    path("leads/booth/", views.lead_booth, name="lead_booth"),
    path("leads/booth/sw.js", views.lead_booth_worker, name="lead_booth_worker"),
    path("leads/web-form/", views.lead_web_form, name="lead_web_form"),
]
