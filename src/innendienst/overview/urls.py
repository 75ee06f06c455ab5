from django.urls import path

from innendienst.overview import views

urlpatterns = [
    path("my-day/", views.my_day, name="my_day"),
    path("my-day/sections/<slug:name>/", views.my_day_section, name="my_day_section"),
    path("search/", views.search, name="search"),
    path("companies/<int:company_id>/", views.company_detail, name="company_detail"),
    path(
        "companies/<int:company_id>/panels/<slug:name>/",
        views.company_panel,
        name="company_panel",
    ),
    path("people/<int:person_id>/", views.person_detail, name="person_detail"),
    path("people/<int:person_id>/panels/<slug:name>/", views.person_panel, name="person_panel"),
]
