from django.urls import path

from innendienst.activities import views, views_calls, views_guides

urlpatterns = [
    path(
        "companies/<int:company_id>/activities/new/",
        views.activity_create,
        name="activity_create",
    ),
    path("activities/<int:activity_id>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:activity_id>/done/", views.activity_complete, name="activity_complete"),
    path(
        "activities/<int:activity_id>/calendar.ics",
        views.activity_calendar,
        name="activity_calendar",
    ),
    path("calls/", views_calls.call_list_index, name="call_list_index"),
    path("calls/new/", views_calls.call_list_create, name="call_list_create"),
    path("calls/<int:call_list_id>/", views_calls.call_list_detail, name="call_list_detail"),
    path("calls/<int:call_list_id>/next/", views_calls.call_list_next, name="call_list_next"),
    path("calls/entries/<int:call_entry_id>/", views_calls.call_screen, name="call_screen"),
    path("calls/entries/<int:call_entry_id>/skip/", views_calls.call_skip, name="call_skip"),
    path("calls/entries/<int:call_entry_id>/renew/", views_calls.call_renew, name="call_renew"),
    path(
        "campaigns/<int:campaign_id>/guide/",
        views_guides.call_guide_edit,
        name="call_guide_edit",
    ),
]
