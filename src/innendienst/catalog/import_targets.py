"""What a file can fill of the product catalogue: the article master of the ERP or of product
management's price list, found again by its article number."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from innendienst.accounts.access import PRODUCT_MAINTAINERS, require_product_maintainer
from innendienst.accounts.models import User
from innendienst.catalog.models import Product, ProductGroup, Unit
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
_PLAIN = ("sku", "name", "list_price", "cost_price", "lead_time_days", "stock", "is_active")
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
    ),
)  # fmt: skip
