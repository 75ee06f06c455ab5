from django.contrib import admin

from innendienst.catalog.models import Product, ProductGroup


@admin.register(ProductGroup)
class ProductGroupAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent")
    search_fields = ("code", "name")


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("sku", "name", "group", "list_price", "cost_price", "currency", "is_active")
    list_filter = ("group", "currency", "is_active")
    search_fields = ("sku", "name")
    list_select_related = ("group",)
