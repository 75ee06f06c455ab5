"""What a file can fill of orders: the ERP's order export, one row per order line, the order's
own columns repeated on each of its lines."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from innendienst.accounts.access import MASTER_DATA_EDITORS, require_master_data_editor
from innendienst.accounts.models import User
from innendienst.catalog.import_targets import SKU
from innendienst.catalog.models import Product
from innendienst.contacts.import_targets import CUSTOMER_NUMBER
from innendienst.contacts.models import Company
from innendienst.contacts.selectors import companies_for
from innendienst.core import audit
from innendienst.core.bulk import insert_new
from innendienst.core.inputs import choice_names
from innendienst.core.models import AuditAction, AuditEntry, Currency
from innendienst.core.registry import ImportField, ImportTarget, RowCheck, RowOutcome, Written
from innendienst.core.text import fold
from innendienst.orders.models import Order, OrderLine, OrderSource, OrderStatus

_STATUSES = {
    **choice_names(OrderStatus),
    **dict.fromkeys(("offen", "open", "neu", "eingegangen", "erfasst"), OrderStatus.RECEIVED),
    **dict.fromkeys(("bestaetigt", "ab", "ab versandt", "in bearbeitung"), OrderStatus.CONFIRMED),
    **dict.fromkeys(
        ("geliefert", "ausgeliefert", "versandt", "erledigt", "fakturiert", "berechnet", "shipped"),
        OrderStatus.DELIVERED,
    ),
    **dict.fromkeys(("storniert", "storno", "canceled", "annulliert"), OrderStatus.CANCELLED),
}
# The order's own columns: the same on each of its lines, updated when the ERP's next export
# says otherwise (confirmed, delivered, invoiced, paid).
_HEADER_DATES = ("confirmed_on", "delivery_on", "invoiced_on", "payment_due_on", "paid_on")
_HEADER = ("status", *_HEADER_DATES)


@dataclass
class OrderRow:
    """A row of the file: its order (new, or the order of an earlier row when ``origin`` is
    another row) and its line."""

    order: Order
    line: OrderLine
    origin: int


class _Batch:
    """What the rows of a batch refer to, read in a few queries."""

    def __init__(self, user: User, rows: list[dict[str, Any]]) -> None:
        numbers = {row["customer_number"] for row in rows if row.get("customer_number")}
        self.companies = {
            company.customer_number: company
            for company in Company.objects.filter(customer_number__in=numbers).only(
                "id", "customer_number", "currency", "name"
            )
        }
        self.visible = set(
            companies_for(user)
            .filter(pk__in=[company.pk for company in self.companies.values()])
            .values_list("pk", flat=True)
        )
        order_numbers = {row["number"] for row in rows if row.get("number")}
        self.orders = {
            order.number: order for order in Order.objects.filter(number__in=order_numbers)
        }
        skus = {row["sku"] for row in rows if row.get("sku")}
        self.products = {product.sku: product for product in Product.objects.filter(sku__in=skus)}


def check_orders(user: User, rows: list[dict[str, Any]], seen: dict[Any, int]) -> list[RowCheck]:
    """Each row's order and line built and validated with the models' rules. A row of an order
    the file names first is new; a later row of it adds its line; a known order number is an
    update of the order's status and dates, or a duplicate when they are the same."""
    require_master_data_editor(user)
    batch = _Batch(user, rows)
    checks = []
    for row in rows:
        check = RowCheck()
        checks.append(check)
        company = _company(check, row, batch)
        order = _order(check, row, company)
        line = _line(check, row, batch, order)
        number = row.get("number") or ""
        if not number:
            check.error("number", gettext("This field cannot be blank."))
        if check.outcome is RowOutcome.ERROR or company is None:
            continue
        existing = batch.orders.get(number)
        first = seen.get(("order", number))
        if first is not None and seen.get(("order-customer", number, company.pk)) != first:
            check.error(
                "customer_number",
                gettext("row %(row)s gives order %(number)s another customer")
                % {"row": first, "number": number},
            )
            continue
        if existing is not None:
            _known_order(check, existing, order, company, first)
        elif first is not None:
            check.prepared = OrderRow(order, line, origin=first)
        else:
            check.prepared = OrderRow(order, line, origin=row["_row"])
        if first is None:
            seen[("order", number)] = seen[("order-customer", number, company.pk)] = row["_row"]
    return checks


def _company(check: RowCheck, row: dict[str, Any], batch: _Batch) -> Company | None:
    number = row.get("customer_number")
    company = batch.companies.get(number) if number else None
    if not number:
        check.error("customer_number", gettext("This field cannot be blank."))
    elif company is None:
        check.error("customer_number", gettext("no company has this customer number"))
    elif company.pk not in batch.visible:
        check.error("customer_number", gettext("belongs to a company you may not see"))
        return None
    return company


def _order(check: RowCheck, row: dict[str, Any], company: Company | None) -> Order:
    order = Order(number=row.get("number") or "", source=OrderSource.ERP)
    if company is not None:
        order.company, order.currency = company, company.currency
    order.ordered_on = row.get("ordered_on")
    for name in _HEADER_DATES:
        setattr(order, name, row.get(name))
    for name, lookup, unknown in (
        ("status", _STATUSES, gettext("unknown order status")),
        ("currency", choice_names(Currency), gettext("unknown currency")),
    ):
        if row.get(name):
            code = lookup.get(fold(str(row[name])))
            if code is None:
                check.error(name, unknown)
            else:
                setattr(order, name, code)
    check.validate(order, exclude=["company", "taken_by"])
    return order


def _line(check: RowCheck, row: dict[str, Any], batch: _Batch, order: Order) -> OrderLine:
    line = OrderLine(description=row.get("description") or "")
    sku = row.get("sku")
    product = batch.products.get(sku) if sku else None
    if sku and product is None:
        check.error("sku", gettext("unknown article number"))
    elif product is None and not line.description:
        check.error("sku", gettext("a line needs an article number or a description"))
    line.product = product
    line.quantity = row.get("quantity")
    line.unit_price = row.get("unit_price")
    line.discount_percent = row.get("discount_percent") or Decimal(0)
    line.unit_cost = row.get("unit_cost")
    # The catalogue's prices hold where the file has none, in the catalogue's currency.
    if product is not None and product.currency == order.currency:
        if line.unit_price is None:
            line.unit_price = product.list_price
        if line.unit_cost is None:
            line.unit_cost = product.cost_price
    if line.unit_cost is None:
        # A line whose cost neither the file nor the catalogue knows (freight, a special part)
        # counts as costing nothing; the file's cost column fills it.
        line.unit_cost = Decimal(0)
    check.validate(line, exclude=["order", "product"])
    return line


def _known_order(
    check: RowCheck, existing: Order, order: Order, company: Company, first: int | None
) -> None:
    if existing.company_id != company.pk:
        check.error("number", gettext("this order number belongs to another customer"))
        return
    check.record = existing
    if first is not None:  # the order's header was taken from its first row
        check.outcome, check.twin = RowOutcome.DUPLICATE, first
        return
    if _header_changes(existing, order):
        check.outcome = RowOutcome.UPDATE
        check.prepared = OrderRow(order, OrderLine(), origin=0)
    else:
        check.outcome = RowOutcome.DUPLICATE


def _header_changes(current: Order, imported: Order) -> dict[str, Any]:
    """{field: the value it has now} of the status and dates the file gives otherwise."""
    return {
        name: getattr(current, name)
        for name in _HEADER
        if getattr(imported, name) not in (None, "")
        and getattr(imported, name) != getattr(current, name)
    }


def write_orders(
    user: User, rows: list[tuple[int, RowCheck]], made: dict[int, Written]
) -> list[Written]:
    require_master_data_editor(user)
    orders: dict[int, Order] = {}
    new_orders = []
    for number, check in rows:
        if check.outcome is not RowOutcome.NEW:
            continue
        row: OrderRow = check.prepared
        if row.origin == number:
            orders[number] = row.order
            new_orders.append(row.order)
        elif row.origin in orders:
            orders[number] = orders[row.origin]
        else:  # its order was created by an earlier batch
            orders[number] = next(r for r in made[row.origin].created if isinstance(r, Order))
    insert_new(Order, new_orders)
    audit.record_creates(actor=user, instances=new_orders)
    checks = dict(rows)
    lines = []
    for number, order in orders.items():
        line = checks[number].prepared.line
        line.order = order
        lines.append(line)
    insert_new(OrderLine, lines)
    audit.record_creates(actor=user, instances=lines)
    created_here = {id(order) for order in new_orders}
    written = []
    for number, check in rows:
        if check.outcome is RowOutcome.UPDATE:
            written.append(_update_order(user, check.record, check.prepared.order))
        elif number in orders:
            order = orders[number]
            own = [order] if id(order) in created_here else []
            created_here.discard(id(order))
            written.append(Written(created=[*own, check.prepared.line]))
        else:
            written.append(Written())
    return written


def _update_order(user: User, known: Order, imported: Order) -> Written:
    """The file's status and dates over the order's as it is now (read again, locked)."""
    order = Order.objects.select_for_update().get(pk=known.pk)
    replaced = _header_changes(order, imported)
    if not replaced:
        return Written()
    for name in replaced:
        setattr(order, name, getattr(imported, name))
    order.save(update_fields=[*replaced, "updated_at"])
    audit.record_update(actor=user, instance=order, before=replaced)
    return Written(updated=[(order, replaced)])


def undo_refusal(created: dict[str, set[int]]) -> str:
    """An order invoiced since the import stays: its revenue has been booked."""
    ids = created.get(Order._meta.label_lower, set())
    if not ids:
        return ""
    invoiced_since = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Order),
        action=AuditAction.UPDATE,
        field="invoiced_on",
        object_id__in=ids,
    ).values("object_id")
    numbers = list(
        Order.objects.filter(pk__in=invoiced_since, invoiced_on__isnull=False)
        .order_by("number")
        .values_list("number", flat=True)[:3]
    )
    if not numbers:
        return ""
    return gettext(
        "Orders of this import have been invoiced since (%(numbers)s); it cannot be undone."
    ) % {"numbers": ", ".join(numbers)}


ORDERS = ImportTarget(
    name="orders",
    label=_("Orders with lines"),
    check=check_orders,
    write=write_orders,
    order=30,
    roles=MASTER_DATA_EDITORS,
    undo_refusal=undo_refusal,
    fields=(
        ImportField(
            "number",
            _("order number"),
            ("Auftragsnummer", "Auftrags-Nr.", "Auftragsnr.", "Auftrag", "Belegnummer",
             "Beleg-Nr.", "Order number", "Order no.", "Order ID", "Sales order"),
        ),
        ImportField("customer_number", _("customer number"), CUSTOMER_NUMBER),
        ImportField(
            "ordered_on",
            _("order date"),
            ("Auftragsdatum", "Bestelldatum", "Belegdatum", "Datum", "Order date", "Date"),
            kind="date",
        ),
        ImportField("status", _("status"), ("Status", "Auftragsstatus", "Order status")),
        ImportField("currency", _("currency"), ("Währung", "Whg.", "Currency")),
        ImportField(
            "confirmed_on",
            _("order confirmation"),
            ("AB-Datum", "Auftragsbestätigung", "Bestätigt am", "Confirmation date"),
            kind="date",
        ),
        ImportField(
            "delivery_on",
            _("delivery date"),
            ("Liefertermin", "Lieferdatum", "Delivery date", "Ship date"),
            kind="date",
        ),
        ImportField(
            "invoiced_on",
            _("invoice date"),
            ("Rechnungsdatum", "Fakturadatum", "Invoice date"),
            kind="date",
        ),
        ImportField(
            "payment_due_on",
            _("payment due"),
            ("Fälligkeit", "Fällig am", "Zahlungsziel", "Due date"),
            kind="date",
        ),
        ImportField(
            "paid_on",
            _("paid on"),
            ("Zahlungseingang", "Bezahlt am", "Paid on", "Payment date"),
            kind="date",
        ),
        ImportField("sku", _("article number"), SKU),
        ImportField(
            "description",
            _("description"),
            ("Bezeichnung", "Artikelbezeichnung", "Positionstext", "Text", "Description"),
        ),
        ImportField(
            "quantity", _("quantity"), ("Menge", "Anzahl", "Stück", "Qty", "Quantity"),
            kind="decimal",
        ),
        ImportField(
            "unit_price",
            _("unit price"),
            ("Einzelpreis", "Preis", "Stückpreis", "VK", "Unit price", "Price"),
            kind="decimal",
        ),
        ImportField(
            "discount_percent",
            _("discount %"),
            ("Rabatt", "Rabatt %", "Rabatt in %", "Discount", "Discount %"),
            kind="decimal",
        ),
        ImportField(
            "unit_cost",
            _("unit cost"),
            ("Einstandspreis", "EK", "EK-Preis", "Kosten", "Unit cost", "Cost"),
            kind="decimal",
        ),
    ),
)  # fmt: skip
