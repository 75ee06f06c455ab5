from django.urls import path

from innendienst.automation import views

urlpatterns = [
    path("automation/", views.rule_list, name="automation_rules"),
    path("automation/rules/new/", views.rule_new, name="automation_rule_new"),
    path("automation/rules/<int:rule_id>/", views.rule_edit, name="automation_rule"),
    path(
        "automation/rules/<int:rule_id>/delete/", views.rule_delete, name="automation_rule_delete"
    ),
    path("automation/events/", views.inbound_list, name="automation_inbound"),
    path("automation/sources/", views.source_list, name="automation_sources"),
    path(
        "automation/sources/<int:source_id>/secret/",
        views.source_rotate,
        name="automation_source_rotate",
    ),
    path(
        "automation/sources/<int:source_id>/active/",
        views.source_toggle,
        name="automation_source_toggle",
    ),
    path("automation/webhooks/", views.webhook_list, name="automation_webhooks"),
    path(
        "automation/webhooks/<int:webhook_id>/secret/",
        views.webhook_rotate,
        name="automation_webhook_rotate",
    ),
    path("automation/webhooks/<int:webhook_id>/", views.webhook_detail, name="automation_webhook"),
    path(
        "automation/webhooks/<int:webhook_id>/deliveries/<int:delivery_id>/replay/",
        views.delivery_replay,
        name="automation_delivery_replay",
    ),
]
