"""Reference data of the customer base. Companies and people are maintained in the
application itself, where every change is validated, scoped and audited."""

from django.contrib import admin

from innendienst.contacts.models import CustomerGroup, Industry


@admin.register(CustomerGroup)
class CustomerGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")
