from django.urls import path

from innendienst.privacy import views

urlpatterns = [
    path("people/<int:person_id>/consent/", views.person_consent, name="person_consent"),
]
