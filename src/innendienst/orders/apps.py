from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "innendienst.orders"
    label = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        from innendienst.accounts.access import MANAGERS
        from innendienst.contacts.models import Company
        from innendienst.core import events, references, registry
        from innendienst.orders import exports, import_targets, panels
        from innendienst.orders.models import Order, OrderLine, OrderStatus
        from innendienst.orders.selectors import order_search

        registry.register_panel(
            "company",
            registry.Panel("orders", "orders/_orders_panel.html", panels.orders, "side", 10),
        )
        registry.register_my_day_section(
            registry.MyDaySection(
                "revenue",
                "orders/_revenue_section.html",
                panels.revenue,
                order=30,
                roles=frozenset(MANAGERS),
                lazy=True,
            )
        )
        events.declare("order.created", "An order was taken (e.g. from a won offer); data: lines.")
        registry.register_import_target(import_targets.ORDERS)
        registry.register_export_kind(exports.ORDERS)
        registry.register_search_provider(
            registry.SearchProvider(
                "orders", _("Orders"), order_search, "orders/_order_hits.html", order=30
            )
        )
        registry.register_choice_display(
            Order,
            "status",
            tones={
                OrderStatus.RECEIVED: "info",
                OrderStatus.CONFIRMED: "info",
                OrderStatus.DELIVERED: "ok",
                OrderStatus.CANCELLED: "muted",
            },
        )
        # Orders follow the company that stays in a merge; companies are not erased.
        references.declare(Company, Order, "company", on_merge=references.relink)
        registry.register_demo_step(
            registry.DemoStep(
                "orders",
                _("orders"),
                order=40,
                step="innendienst.orders.demo.OrderStep",
                models=(Order, OrderLine),
                needs=("contacts", "catalog"),
            )
        )
