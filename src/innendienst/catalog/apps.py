from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "innendienst.catalog"
    label = "catalog"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        from innendienst.catalog import import_targets
        from innendienst.catalog.models import Product, ProductGroup
        from innendienst.core import registry

        registry.register_import_target(import_targets.PRODUCTS)
        registry.register_import_target(import_targets.PRICES)
        registry.register_demo_step(
            registry.DemoStep(
                "catalog",
                _("products"),
                order=20,
                step="innendienst.catalog.demo.CatalogStep",
                models=(ProductGroup, Product),
            )
        )
