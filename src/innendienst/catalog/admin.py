from django.contrib import admin

from innendienst.catalog.models import (
    DiscountLimit,
    PriceList,
    PriceListItem,
    Product,
    ProductGroup,
)


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


class PriceListItemInline(admin.TabularInline):
    model = PriceListItem
    autocomplete_fields = ("product",)
    extra = 0


@admin.register(PriceList)
class PriceListAdmin(admin.ModelAdmin):
    list_display = ("name", "customer_group", "currency", "valid_from", "valid_until")
    list_filter = ("currency", "customer_group")
    search_fields = ("name",)
    inlines = (PriceListItemInline,)


@admin.register(DiscountLimit)
class DiscountLimitAdmin(admin.ModelAdmin):
    list_display = ("role", "max_percent")
