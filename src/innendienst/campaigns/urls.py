from django.urls import path

from innendienst.campaigns import views

urlpatterns = [
    path("campaigns/", views.campaign_index, name="campaign_index"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:campaign_id>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:campaign_id>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:campaign_id>/phases/", views.phase_create, name="phase_create"),
    path(
        "campaigns/<int:campaign_id>/plan.xlsx",
        views.campaign_plan_export,
        name="campaign_plan_export",
    ),
    path("campaigns/phases/<int:phase_id>/edit/", views.phase_edit, name="phase_edit"),
    path("campaigns/phases/<int:phase_id>/delete/", views.phase_delete, name="phase_delete"),
]
