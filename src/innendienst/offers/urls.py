from django.urls import path

from innendienst.offers import views

urlpatterns = [
    path("offers/", views.offer_tracking, name="offer_tracking"),
    path("offers/forecast/", views.offer_forecast, name="offer_forecast"),
    path("offers/forecast.xlsx", views.offer_forecast_export, name="offer_forecast_export"),
    path("offers/analysis/", views.offer_analysis, name="offer_analysis"),
    path("offers/analysis/train/", views.win_model_train, name="win_model_train"),
    path("offers/letterhead/", views.letterhead_edit, name="letterhead_edit"),
    path("offers/discount-limits/", views.discount_limits_edit, name="discount_limits_edit"),
    path("offers/<int:offer_id>/offer.pdf", views.offer_pdf, name="offer_pdf"),
    path("offers/versions/<int:revision_id>/offer.pdf", views.revision_pdf, name="revision_pdf"),
    path("companies/<int:company_id>/offers/new/", views.offer_create, name="offer_create"),
    path("offers/<int:offer_id>/", views.offer_detail, name="offer_detail"),
    path("offers/<int:offer_id>/edit/", views.offer_edit, name="offer_edit"),
    path("offers/<int:offer_id>/lines/", views.offer_line_add, name="offer_line_add"),
    path("offers/<int:offer_id>/send/", views.offer_send, name="offer_send"),
    path("offers/<int:offer_id>/tracking/", views.offer_track, name="offer_track"),
    path("offers/<int:offer_id>/revise/", views.offer_revise, name="offer_revise"),
    path("offers/<int:offer_id>/win/", views.offer_win, name="offer_win"),
    path("offers/<int:offer_id>/lose/", views.offer_lose, name="offer_lose"),
    path(
        "offers/<int:offer_id>/approval/",
        views.offer_approval_request,
        name="offer_approval_request",
    ),
    path("offers/versions/<int:revision_id>/", views.offer_revision, name="offer_revision"),
    path("offers/lines/<int:line_id>/edit/", views.offer_line_edit, name="offer_line_edit"),
    path("offers/lines/<int:line_id>/delete/", views.offer_line_delete, name="offer_line_delete"),
    path(
        "offers/approvals/<int:approval_id>/decide/",
        views.approval_decide,
        name="approval_decide",
    ),
]
