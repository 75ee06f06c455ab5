"""Order lines as an export kind, in the columns of the ERP's order export that the orders
import reads: one row per line, the order's own columns repeated."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from innendienst.core.registry import ExportColumn, ExportKind
from innendienst.orders import selectors
from innendienst.orders.models import OrderLine


def order_line_rows(user: Any, params: Any) -> QuerySet[OrderLine]:
    return (
        selectors.order_line_filter(user, params)
        .results_or_raise()
        .select_related("order__company", "product")
    )


ORDERS = ExportKind(
    name="orders",
    label=_("Orders"),
    path="orders",
    file_stem=pgettext_lazy("file name", "orders"),
    rows=order_line_rows,
    order=40,
    columns=(
        ExportColumn(_("Order number"), lambda line: line.order.number),
        ExportColumn(_("Customer number"), lambda line: line.order.company.customer_number or ""),
        ExportColumn(_("Company"), lambda line: line.order.company.name),
        ExportColumn(_("Order date"), lambda line: line.order.ordered_on),
        ExportColumn(_("Status"), lambda line: line.order.get_status_display()),
        ExportColumn(_("Invoice date"), lambda line: line.order.invoiced_on),
        ExportColumn(_("Article number"), lambda line: line.product.sku if line.product else ""),
        ExportColumn(
            _("Description"),
            lambda line: line.description or (line.product.name if line.product else ""),
        ),
        ExportColumn(_("Quantity"), lambda line: line.quantity),
        ExportColumn(_("Unit price"), lambda line: line.unit_price),
        ExportColumn(_("Discount %"), lambda line: line.discount_percent),
        ExportColumn(_("Net amount"), lambda line: line.net_amount),
        ExportColumn(_("Currency"), lambda line: line.order.currency),
    ),
)
