from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.i18n import set_language

from innendienst.accounts import views as accounts
from innendienst.activities import views as activities
from innendienst.api import api
from innendienst.contacts import views as contacts
from innendienst.core import views as core
from innendienst.overview import views as overview

urlpatterns = [
    path("", core.home, name="home"),
    path("healthz", core.healthz, name="healthz"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("my-day/", activities.my_day, name="my_day"),
    path("search/", overview.search, name="search"),
    path("companies/", contacts.company_list, name="company_list"),
    path("companies/export.csv", contacts.company_export, name="company_export"),
    path("companies/new/", contacts.company_create, name="company_create"),
    path("companies/<int:company_id>/", overview.company_detail, name="company_detail"),
    path("companies/<int:company_id>/edit/", contacts.company_edit, name="company_edit"),
    path("companies/<int:company_id>/verify/", contacts.company_verify, name="company_verify"),
    path(
        "companies/<int:company_id>/addresses/new/", contacts.address_create, name="address_create"
    ),
    path(
        "companies/<int:company_id>/addresses/<int:address_id>/delete/",
        contacts.address_delete,
        name="address_delete",
    ),
    path("companies/<int:company_id>/people/new/", contacts.person_create, name="person_create"),
    path(
        "companies/<int:company_id>/activities/new/",
        activities.activity_create,
        name="activity_create",
    ),
    path("people/", contacts.person_list, name="person_list"),
    path("people/<int:person_id>/", overview.person_detail, name="person_detail"),
    path("people/<int:person_id>/edit/", contacts.person_edit, name="person_edit"),
    path("people/<int:person_id>/verify/", contacts.person_verify, name="person_verify"),
    path("people/<int:person_id>/consent/", contacts.person_consent, name="person_consent"),
    path("activities/<int:activity_id>/edit/", activities.activity_edit, name="activity_edit"),
    path(
        "activities/<int:activity_id>/done/", activities.activity_complete, name="activity_complete"
    ),
    path("settings/", accounts.settings_page, name="settings"),
    path(
        "settings/tokens/<int:token_id>/revoke/", accounts.api_token_revoke, name="api_token_revoke"
    ),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
