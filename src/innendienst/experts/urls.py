from django.urls import path

from innendienst.experts import views

urlpatterns = [
    path("experts/", views.expert_index, name="expert_index"),
    path("experts/new/", views.expert_create, name="expert_create"),
    path("experts/<int:expert_id>/edit/", views.expert_edit, name="expert_edit"),
    path("experts/requests/", views.expert_requests, name="expert_requests"),
    path(
        "experts/requests/<int:expert_request_id>/answer/",
        views.expert_request_answer,
        name="expert_request_answer",
    ),
    path(
        "experts/requests/<int:expert_request_id>/withdraw/",
        views.expert_request_withdraw,
        name="expert_request_withdraw",
    ),
    path(
        "offers/<int:offer_id>/expert-requests/",
        views.expert_request_create,
        name="expert_request_create",
    ),
    path(
        "offers/<int:offer_id>/expert-requests/new/",
        views.expert_request_new,
        name="expert_request_new",
    ),
]
