from django.urls import path

from innendienst.contacts import views

urlpatterns = [
    path("companies/", views.company_list, name="company_list"),
    path("companies/new/", views.company_create, name="company_create"),
    path("companies/<int:company_id>/edit/", views.company_edit, name="company_edit"),
    path("companies/<int:company_id>/verify/", views.company_verify, name="company_verify"),
    path("companies/<int:company_id>/addresses/new/", views.address_create, name="address_create"),
    path(
        "companies/<int:company_id>/addresses/<int:address_id>/delete/",
        views.address_delete,
        name="address_delete",
    ),
    path("companies/<int:company_id>/people/new/", views.person_create, name="person_create"),
    path("people/", views.person_list, name="person_list"),
    path("people/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:person_id>/verify/", views.person_verify, name="person_verify"),
]
