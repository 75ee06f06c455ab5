"""The ERP's order export and product management's article list as imports: checked with the
models' rules, found again by order and article number, undone unless invoiced since."""

import datetime
import io
from decimal import Decimal

import pytest

from innendienst.accounts.models import Role
from innendienst.catalog.models import Product
from innendienst.core import audit
from innendienst.imports.models import ImportRow, ImportStatus
from innendienst.imports.services import CannotUndo, import_create, import_undo
from innendienst.orders.models import Order, OrderLine, OrderSource, OrderStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def pumps():
    group = factories.ProductGroupFactory(code="PU", name="Pumpen")
    return factories.ProductFactory(
        sku="P-100", name="Kreiselpumpe KP 100", group=group, list_price=Decimal("480.00")
    )


def start(user, text, target, capture):
    with capture(execute=True):
        run = import_create(
            actor=user,
            file=io.BytesIO(text.encode("cp1252")),
            file_name=f"{target}.csv",
            target_name=target,
            constants={},
        )
    run.refresh_from_db()
    return run


def erp_export(company, *, status="offen", invoice=""):
    number = company.customer_number
    return (
        "Auftragsnummer;Kundennr.;Auftragsdatum;Status;Rechnungsdatum;Artikelnummer;"
        "Bezeichnung;Menge;Einzelpreis;Rabatt %\n"
        f"AU-1;{number};03.11.2026;{status};{invoice};P-100;;4;450,00;5\n"
        f"AU-1;{number};03.11.2026;{status};{invoice};;Fracht;1;35,00;\n"
        f"AU-2;{number};2026-11-10;offen;;P-100;;2;;\n"
    )


def test_it_imports_the_erp_order_export_one_row_per_line(
    owner, company, pumps, django_capture_on_commit_callbacks
):
    run = start(owner, erp_export(company), "orders", django_capture_on_commit_callbacks)
    assert run.status == ImportStatus.DONE
    assert run.counts == {"new": 3}
    first = Order.objects.get(number="AU-1")
    assert (first.company, first.ordered_on, first.status, first.source) == (
        company,
        datetime.date(2026, 11, 3),
        OrderStatus.RECEIVED,
        OrderSource.ERP,
    )
    lines = list(first.lines.order_by("id"))
    assert [(line.product, line.description, line.quantity) for line in lines] == [
        (pumps, "", Decimal("4")),
        (None, "Fracht", Decimal("1")),
    ]
    assert lines[0].unit_price == Decimal("450.00")
    assert lines[0].unit_cost == pumps.cost_price  # from the catalogue
    assert lines[0].discount_percent == Decimal("5")
    assert lines[1].unit_cost == Decimal("0")  # freight: no cost the file or catalogue knows
    second = Order.objects.get(number="AU-2").lines.get()
    assert second.unit_price == pumps.list_price  # no price in the file: the list price
    rows = {row.number: row.created for row in ImportRow.objects.filter(run=run)}
    assert rows[2] == [["orders.order", first.pk], ["orders.orderline", lines[0].pk]]
    assert rows[3] == [["orders.orderline", lines[1].pk]]


def test_the_next_export_updates_status_and_dates_and_adds_no_line_twice(
    owner, company, pumps, django_capture_on_commit_callbacks
):
    start(owner, erp_export(company), "orders", django_capture_on_commit_callbacks)
    again = start(owner, erp_export(company), "orders", django_capture_on_commit_callbacks)
    assert again.counts == {"duplicate": 3}
    later = erp_export(company, status="geliefert", invoice="20.11.2026")
    run = start(owner, later, "orders", django_capture_on_commit_callbacks)
    assert run.counts == {"update": 1, "duplicate": 2}
    order = Order.objects.get(number="AU-1")
    assert (order.status, order.invoiced_on) == (OrderStatus.DELIVERED, datetime.date(2026, 11, 20))
    assert OrderLine.objects.count() == 3
    import_undo(actor=owner, run=run)
    order.refresh_from_db()
    assert (order.status, order.invoiced_on) == (OrderStatus.RECEIVED, None)


def test_each_bad_row_says_what_is_wrong(owner, company, pumps, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    hidden = factories.CompanyFactory(territory=factories.TerritoryFactory(code="AT"))
    text = (
        "Auftragsnummer;Kundennr.;Auftragsdatum;Artikelnummer;Bezeichnung;Menge;Einzelpreis\n"
        f"AU-1;K-404;03.11.2026;P-100;;1;10\n"
        f"AU-2;{hidden.customer_number};03.11.2026;P-100;;1;10\n"
        f"AU-3;{company.customer_number};03.11.2026;X-999;;1;10\n"
        f"AU-4;{company.customer_number};03.11.2026;;;1;10\n"
        f"AU-5;{company.customer_number};;P-100;;-1;10\n"
        f"AU-6;{company.customer_number};03.11.2026;;Sonderteil;1;\n"
        f"AU-6;{factories.CompanyFactory(territory=company.territory).customer_number};"
        "03.11.2026;P-100;;1;10\n"
    )
    run = start(owner, text, "orders", capture)
    errors = {row.number: row.errors for row in ImportRow.objects.filter(run=run)}
    assert errors[2] == {"customer_number": ["keine Firma hat diese Kundennummer"]}
    assert errors[3] == {"customer_number": ["gehört zu einer Firma, die Sie nicht sehen dürfen"]}
    assert errors[4] == {"sku": ["unbekannte Artikelnummer"]}
    assert errors[5] == {"sku": ["eine Position braucht eine Artikelnummer oder eine Bezeichnung"]}
    assert set(errors[6]) == {"ordered_on", "quantity"}
    assert set(errors[7]) == {"unit_price"}
    assert errors[8] == {}  # AU-6's first row failed: this one makes the order
    assert run.counts == {"error": 6, "new": 1}


def test_an_undo_is_refused_for_an_order_invoiced_since(
    owner, company, pumps, django_capture_on_commit_callbacks
):
    run = start(owner, erp_export(company), "orders", django_capture_on_commit_callbacks)
    order = Order.objects.get(number="AU-2")
    before = audit.snapshot(order)
    order.invoiced_on = datetime.date(2026, 11, 28)
    order.save()
    audit.record_update(actor=owner, instance=order, before=before)
    with pytest.raises(CannotUndo, match=r"inzwischen berechnet \(AU-2\)"):
        import_undo(actor=owner, run=run)
    order.invoiced_on = None
    order.save()
    import_undo(actor=owner, run=run)
    assert Order.objects.count() == OrderLine.objects.count() == 0


def test_an_order_invoiced_in_the_file_itself_can_be_undone(
    owner, company, pumps, django_capture_on_commit_callbacks
):
    text = erp_export(company, status="geliefert", invoice="20.11.2026")
    run = start(owner, text, "orders", django_capture_on_commit_callbacks)
    import_undo(actor=owner, run=run)
    assert Order.objects.count() == 0


ARTICLES = (
    "Art.-Nr.;Bezeichnung;Warengruppe;ME;Listenpreis;EK;Lieferzeit;Bestand;Aktiv\n"
    "P-100;Kreiselpumpe KP 100;PU;Stk;495,00;300,00;14;12;ja\n"
    "P-200;Tauchpumpe TP 200;Pumpen;Stück;1.250,00;800,00;42;0;x\n"
    "P-300;Dichtungssatz;Unbekannt;Stk;9,90;3,00;;;\n"
    "P-400;Wartung;PU;Std;95,00;60,00;;;nein\n"
    "P-200;Tauchpumpe TP 200;Pumpen;Stück;1.250,00;800,00;42;0;x\n"
)


@pytest.fixture
def product_manager(team_south):
    return factories.UserFactory(username="produkt", role=Role.PRODUCT_MANAGEMENT, team=team_south)


def test_product_management_imports_articles_with_prices(
    product_manager, pumps, django_capture_on_commit_callbacks
):
    run = start(product_manager, ARTICLES, "products", django_capture_on_commit_callbacks)
    assert run.counts == {"update": 1, "new": 2, "error": 1, "duplicate": 1}
    pumps.refresh_from_db()
    assert (pumps.list_price, pumps.cost_price, pumps.stock) == (
        Decimal("495.00"),
        Decimal("300.00"),
        12,
    )
    new = Product.objects.get(sku="P-200")
    assert (new.group.code, new.unit, new.list_price, new.lead_time_days, new.is_active) == (
        "PU",
        "pc",
        Decimal("1250.00"),
        42,
        True,
    )
    assert Product.objects.get(sku="P-400").unit == "h"
    assert not Product.objects.get(sku="P-400").is_active
    errors = ImportRow.objects.get(run=run, number=4).errors
    assert errors == {"group": ["unbekannte Produktgruppe"]}
    import_undo(actor=product_manager, run=run)
    pumps.refresh_from_db()
    assert pumps.list_price == Decimal("480.00")
    assert not Product.objects.filter(sku__in=["P-200", "P-400"]).exists()


def test_an_article_ordered_since_its_import_stays(
    product_manager, owner, company, pumps, django_capture_on_commit_callbacks
):
    run = start(product_manager, ARTICLES, "products", django_capture_on_commit_callbacks)
    factories.OrderLineFactory(
        order=factories.OrderFactory(company=company), product=Product.objects.get(sku="P-200")
    )
    with pytest.raises(CannotUndo, match="in Verwendung"):
        import_undo(actor=product_manager, run=run)


def test_only_who_keeps_the_catalogue_imports_articles(owner):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_create(
            actor=owner,
            file=io.BytesIO(ARTICLES.encode()),
            file_name="artikel.csv",
            target_name="products",
            constants={},
        )


def test_the_order_lines_export_reads_back_as_an_import_that_changes_nothing(
    client, owner, company, pumps, outsider, django_capture_on_commit_callbacks
):
    start(owner, erp_export(company), "orders", django_capture_on_commit_callbacks)
    client.force_login(owner)
    page = client.get(f"/companies/{company.pk}/").content.decode()
    assert f"/orders/export.csv?company_id={company.pk}" in page
    response = client.get(f"/orders/export.csv?company_id={company.pk}&sort=number")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("Auftragsnummer;Kundennummer;Firma;Auftragsdatum;Status")
    assert lines[1].startswith(f"AU-1;{company.customer_number};")
    assert "Fracht" in lines[2]
    assert "35,00" in lines[2]
    run = start(owner, text, "orders", django_capture_on_commit_callbacks)
    assert run.counts == {"duplicate": 3}
    client.force_login(outsider)
    hidden = b"".join(client.get("/orders/export.csv").streaming_content).decode("utf-8-sig")
    assert len(hidden.splitlines()) == 1  # the header: nothing of a company he may not see
    assert client.get("/orders/export.csv?ordered_from=gestern").status_code == 400
