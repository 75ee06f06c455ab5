from django.urls import path

from tests.plugin_app import views

urlpatterns = [path("field-notes/", views.field_notes, name="field_notes")]
