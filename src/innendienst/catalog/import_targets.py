"""What a file can fill of the product catalogue: the article master of the ERP or of product
management's price list, found again by its article number."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from innendienst.accounts.access import PRODUCT_MAINTAINERS, require_product_maintainer
from innendienst.accounts.models import User
from innendienst.catalog.models import PriceList, PriceListItem, Product, ProductGroup, Unit
from innendienst.core import audit
from innendienst.core.bulk import insert_new
from innendienst.core.inputs import choice_names
from innendienst.core.models import Currency
from innendienst.core.registry import ImportField, ImportTarget, RowCheck, RowOutcome, Written
from innendienst.core.text import fold

SKU = (
    "Artikelnummer",
    "Artikel-Nr.",
    "Art.-Nr.",
    "ArtNr",
    "Materialnummer",
    "Material",
    "Article number",
    "Item number",
    "Item no.",
    "SKU",
    "Product code",
)
# The fields a file fills as they are read, and those read by name.
_PLAIN = (
    "sku",
    "name",
    "list_price",
    "cost_price",
    "lead_time_days",
    "stock",
    "is_active",
    "technical_notes",
)
_UNITS = {
    **choice_names(Unit),
    **dict.fromkeys(("stk", "st", "stueck", "pcs", "pce", "ea", "each"), Unit.PIECE),
    **dict.fromkeys(("std", "stunde", "stunden", "hours", "hrs"), Unit.HOUR),
    **dict.fromkeys(("meter", "lfm"), Unit.METER),
    **dict.fromkeys(("liter", "ltr"), Unit.LITER),
}


def _groups() -> dict[str, ProductGroup]:
    """Product groups by name and by code; a code wins over another group's name."""
    groups = list(ProductGroup.objects.all())
    by_name = {fold(group.name): group for group in reversed(groups)}
    return {**by_name, **{fold(group.code): group for group in groups}}


def check_products(user: User, rows: list[dict[str, Any]], seen: dict[Any, int]) -> list[RowCheck]:
    """Each row built as a product and validated with the model's rules; a known article
    number is an update of the fields the file changes, or a duplicate when it changes none."""
    require_product_maintainer(user)
    groups = _groups()
    skus = {str(row["sku"]) for row in rows if row.get("sku")}
    known = {product.sku: product for product in Product.objects.filter(sku__in=skus)}
    checks = []
    for row in rows:
        check = RowCheck()
        checks.append(check)
        existing = known.get(row.get("sku") or "")
        product = (
            Product(
                **{
                    field.attname: getattr(existing, field.attname)
                    for field in Product._meta.concrete_fields
                }
            )
            if existing
            else Product()
        )
        for name in _PLAIN:
            if row.get(name) not in (None, ""):
                setattr(product, name, row[name])
        for name, lookup, unknown in (
            ("unit", _UNITS, gettext("unknown unit")),
            ("currency", choice_names(Currency), gettext("unknown currency")),
        ):
            if row.get(name):
                code = lookup.get(fold(str(row[name])))
                if code is None:
                    check.error(name, unknown)
                else:
                    setattr(product, name, code)
        if row.get("group"):
            group = groups.get(fold(str(row["group"])))
            if group is None:
                check.error("group", gettext("unknown product group"))
            else:
                product.group = group
        check.validate(product)
        if check.outcome is RowOutcome.ERROR:
            continue
        if product.sku in seen:
            check.outcome, check.twin = RowOutcome.DUPLICATE, seen[product.sku]
            continue
        seen[product.sku] = row["_row"]
        if existing is None:
            check.prepared = product
            continue
        changed = {
            field.name: getattr(existing, field.attname)
            for field in Product._meta.concrete_fields
            if getattr(product, field.attname) != getattr(existing, field.attname)
        }
        check.record = existing
        check.outcome = RowOutcome.UPDATE if changed else RowOutcome.DUPLICATE
        check.prepared = (product, changed)
    return checks


def write_products(
    user: User, rows: list[tuple[int, RowCheck]], made: dict[int, Written]
) -> list[Written]:
    require_product_maintainer(user)
    created = [check.prepared for _number, check in rows if check.outcome is RowOutcome.NEW]
    insert_new(Product, created)
    audit.record_creates(actor=user, instances=created)
    written = []
    for _number, check in rows:
        if check.outcome is RowOutcome.NEW:
            written.append(Written(created=[check.prepared]))
            continue
        product, changed = check.prepared
        # Read again and locked: what the file replaces is what the catalogue says now.
        current = Product.objects.select_for_update().get(pk=check.record.pk)
        replaced = {
            name: getattr(current, Product._meta.get_field(name).attname)
            for name in changed
            if getattr(current, Product._meta.get_field(name).attname)
            != getattr(product, Product._meta.get_field(name).attname)
        }
        for name in replaced:
            attname = Product._meta.get_field(name).attname
            setattr(current, attname, getattr(product, attname))
        if replaced:
            current.save(update_fields=list(replaced))
            audit.record_update(actor=user, instance=current, before=replaced)
        written.append(Written(updated=[(current, replaced)] if replaced else []))
    return written


PRODUCTS = ImportTarget(
    name="products",
    label=_("Products with prices"),
    check=check_products,
    write=write_products,
    order=40,
    roles=PRODUCT_MAINTAINERS,
    fields=(
        ImportField("sku", _("article number"), SKU),
        ImportField(
            "name",
            _("name"),
            ("Bezeichnung", "Artikelbezeichnung", "Artikelname", "Produkt", "Product name",
             "Product", "Description", "Item"),
        ),
        ImportField(
            "group",
            _("product group"),
            ("Warengruppe", "Produktgruppe", "Artikelgruppe", "Product group", "Category"),
        ),
        ImportField("unit", _("unit"), ("Einheit", "ME", "Mengeneinheit", "Unit", "UoM")),
        ImportField("currency", _("currency"), ("Währung", "Whg.", "Currency")),
        ImportField(
            "list_price",
            _("list price"),
            ("Listenpreis", "Preis", "VK", "VK-Preis", "Verkaufspreis", "List price", "Price"),
            kind="decimal",
        ),
        ImportField(
            "cost_price",
            _("cost price"),
            ("Einstandspreis", "EK", "EK-Preis", "Einkaufspreis", "Selbstkosten", "Cost price",
             "Cost"),
            kind="decimal",
        ),
        ImportField(
            "lead_time_days",
            _("delivery time (days)"),
            ("Lieferzeit", "Lieferzeit (Tage)", "Wiederbeschaffungszeit", "Lead time",
             "Delivery time"),
            kind="integer",
        ),
        ImportField("stock", _("in stock"), ("Bestand", "Lagerbestand", "Stock", "On hand"),
                    kind="integer"),
        ImportField("is_active", _("active"), ("Aktiv", "Active", "Lieferbar"), kind="boolean"),
        ImportField("technical_notes", _("technical notes"),
                    ("Technische Hinweise", "Technische Daten", "Hinweise", "Technical notes")),
    ),
)  # fmt: skip


# --- price lists ----------------------------------------------------------------------------


def _price_lists() -> dict[str, PriceList]:
    """By name; of lists that share a name, the newest (as the write takes it)."""
    lists = PriceList.objects.order_by("valid_from", "id")
    return {fold(price_list.name): price_list for price_list in lists}


def _customer_groups() -> dict[str, Any]:
    from django.apps import apps

    # By reference, as the price list's model does: the catalogue sits below the contacts.
    groups = apps.get_model("contacts", "CustomerGroup").objects.all()
    by_name = {fold(group.name): group for group in groups}
    return {**by_name, **{fold(group.code): group for group in groups}}


def check_prices(user: User, rows: list[dict[str, Any]], seen: dict[Any, int]) -> list[RowCheck]:
    """Each row a price of an article in a price list. A list the catalogue does not know yet
    is created with the row's currency, customer group and validity; a known price is an
    update when it changes, else a duplicate."""
    require_product_maintainer(user)
    lists = _price_lists()
    groups = _customer_groups()
    skus = {str(row["sku"]) for row in rows if row.get("sku")}
    products = {product.sku: product for product in Product.objects.filter(sku__in=skus)}
    known = {
        (item.price_list_id, item.product_id): item
        for item in PriceListItem.objects.filter(product__sku__in=skus)
    }
    currencies = choice_names(Currency)
    checks = []
    for row in rows:
        check = RowCheck()
        checks.append(check)
        name = str(row.get("price_list") or "").strip()
        if not name:
            check.error("price_list", gettext("Please name the price list."))
        product = products.get(str(row.get("sku") or ""))
        if product is None:
            check.error("sku", gettext("unknown article number"))
        price = row.get("unit_price")
        if price in (None, ""):
            check.error("unit_price", gettext("Please enter the price."))
        elif price < 0:
            check.error("unit_price", gettext("A price cannot be negative."))
        price_list = lists.get(fold(name))
        if price_list is None and ("price_list", fold(name)) in seen:
            # Created by an earlier row of the file: that row gave its currency and validity.
            price_list = PriceList(name=name[:100])
        elif price_list is not None and row.get("currency"):
            currency = currencies.get(fold(str(row["currency"])))
            if currency != price_list.currency:
                check.error(
                    "currency",
                    gettext("The price list “%(list)s” is in %(currency)s.")
                    % {"list": price_list.name, "currency": price_list.currency},
                )
        elif price_list is None and name:
            price_list = PriceList(name=name[:100], valid_from=row.get("valid_from"))
            price_list.valid_until = row.get("valid_until")
            currency = currencies.get(fold(str(row.get("currency") or "")))
            if currency is None:
                check.error("currency", gettext("A new price list needs its currency."))
            price_list.currency = currency or ""
            if row.get("customer_group"):
                group = groups.get(fold(str(row["customer_group"])))
                if group is None:
                    check.error("customer_group", gettext("unknown customer group"))
                price_list.customer_group = group
            if price_list.valid_from is None:
                check.error(
                    "valid_from", gettext("A new price list needs the day it is valid from.")
                )
            check.validate(price_list)
        if check.outcome is RowOutcome.ERROR:
            continue
        if price_list.pk is None:
            seen.setdefault(("price_list", fold(price_list.name)), row["_row"])
        key = (fold(price_list.name), product.sku)
        if key in seen:
            check.outcome, check.twin = RowOutcome.DUPLICATE, seen[key]
            continue
        seen[key] = row["_row"]
        existing = known.get((price_list.pk, product.pk)) if price_list.pk else None
        item = PriceListItem(product=product, unit_price=price)
        check.validate(item, exclude=["price_list"], prefix="")
        if check.outcome is RowOutcome.ERROR:
            continue
        if existing is None:
            check.prepared = (price_list, item)
            continue
        check.record = existing
        check.outcome = RowOutcome.UPDATE if existing.unit_price != price else RowOutcome.DUPLICATE
        check.prepared = (price_list, price)
    return checks


def write_prices(
    user: User, rows: list[tuple[int, RowCheck]], made: dict[int, Written]
) -> list[Written]:
    require_product_maintainer(user)
    written = []
    for _number, check in rows:
        price_list, prepared = check.prepared
        if check.outcome is RowOutcome.NEW:
            created: list[Any] = []
            # A list named by an earlier row of the file exists by now.
            stored = (
                PriceList.objects.filter(name=price_list.name)
                .order_by("-valid_from", "-id")
                .first()
            )
            if stored is None:
                price_list.save()
                audit.record_create(actor=user, instance=price_list)
                created.append(price_list)
                stored = price_list
            prepared.price_list = stored
            prepared.save()
            audit.record_create(actor=user, instance=prepared)
            written.append(Written(created=[*created, prepared]))
            continue
        item = PriceListItem.objects.select_for_update().get(pk=check.record.pk)
        replaced = {"unit_price": item.unit_price} if item.unit_price != prepared else {}
        if replaced:
            item.unit_price = prepared
            item.save(update_fields=["unit_price"])
            audit.record_update(actor=user, instance=item, before=replaced)
        written.append(Written(updated=[(item, replaced)] if replaced else []))
    return written


def prices_undo_refusal(created: dict[str, set[int]]) -> str:
    """A price list an offer has been written from since stays: the offer points at it."""
    ids = created.get(PriceList._meta.label_lower, set())
    used = PriceList.objects.filter(pk__in=ids, offers__isnull=False).distinct()
    names = list(used.order_by("name").values_list("name", flat=True)[:3])
    if not names:
        return ""
    return gettext(
        "Offers have been written from price lists of this import since (%(names)s); it "
        "cannot be undone."
    ) % {"names": ", ".join(names)}


PRICES = ImportTarget(
    name="prices",
    label=_("Price lists"),
    check=check_prices,
    write=write_prices,
    order=45,
    roles=PRODUCT_MAINTAINERS,
    undo_refusal=prices_undo_refusal,
    fields=(
        ImportField(
            "price_list",
            _("price list"),
            ("Preisliste", "Preislistenname", "Konditionsliste", "Price list", "Pricelist"),
        ),
        ImportField("sku", _("article number"), SKU),
        ImportField(
            "unit_price",
            _("price"),
            ("Preis", "Nettopreis", "Kundenpreis", "VK", "Price", "Net price", "Unit price"),
            kind="decimal",
        ),
        ImportField("currency", _("currency"), ("Währung", "Whg.", "Currency")),
        ImportField(
            "customer_group",
            _("customer group"),
            ("Kundengruppe", "Preisgruppe", "Customer group", "Price group"),
        ),
        ImportField(
            "valid_from", _("valid from"), ("Gültig ab", "gültig von", "Valid from"), kind="date"
        ),
        ImportField(
            "valid_until", _("valid until"), ("Gültig bis", "Valid until", "Valid to"), kind="date"
        ),
    ),
)
