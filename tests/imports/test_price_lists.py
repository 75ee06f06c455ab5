"""Product management's price lists as an import: a new list is created from its first row,
known prices are updated, bad rows say what is wrong, and the import can be undone unless an
offer has been written from the list since."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from innendienst.accounts.models import Role
from innendienst.catalog.models import PriceList, PriceListItem
from innendienst.imports.models import ImportRow
from innendienst.imports.services import CannotUndo, import_create, import_undo
from innendienst.offers import services as offer_services
from tests import factories

pytestmark = pytest.mark.django_db

PRICES = (
    "Preisliste;Artikelnummer;Preis;Währung;Kundengruppe;Gültig ab;Gültig bis\n"
    "B-Kunden 2027;PU-4000;1.080,00;EUR;B;01.01.2027;31.12.2027\n"
    "B-Kunden 2027;SRV-MONT;87,50;;;;\n"
    "B-Kunden 2026;PU-4000;1.090,00;;;;\n"
    "B-Kunden 2027;XX-0000;10,00;;;;\n"
    "Neue Liste;PU-4000;10,00;;;;\n"
)


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def keeper(team_south):
    return factories.UserFactory(username="pm", role=Role.PRODUCT_MANAGEMENT, team=team_south)


def _start(user, capture):
    with capture(execute=True):
        run = import_create(
            actor=user,
            file=io.BytesIO(PRICES.encode("cp1252")),
            file_name="preise.csv",
            target_name="prices",
            constants={},
        )
    run.refresh_from_db()
    return run


def test_it_creates_the_list_updates_known_prices_and_names_bad_rows(
    keeper, price_list, pump, installation, django_capture_on_commit_callbacks
):
    run = _start(keeper, django_capture_on_commit_callbacks)
    assert run.counts == {"new": 2, "update": 1, "error": 2}
    new_list = PriceList.objects.get(name="B-Kunden 2027")
    assert (new_list.currency, new_list.customer_group.code, str(new_list.valid_until)) == (
        "EUR", "B", "2027-12-31",
    )  # fmt: skip
    assert new_list.items.get(product=installation).unit_price == Decimal("87.50")
    assert price_list.items.get(product=pump).unit_price == Decimal("1090.00")
    assert ImportRow.objects.get(run=run, number=5).errors == {"sku": ["unbekannte Artikelnummer"]}
    assert set(ImportRow.objects.get(run=run, number=6).errors) == {"currency", "valid_from"}
    import_undo(actor=keeper, run=run)
    assert not PriceList.objects.filter(name="B-Kunden 2027").exists()
    assert price_list.items.get(product=pump).unit_price == Decimal("1100.00")


def test_an_undo_is_refused_once_an_offer_uses_the_list(
    keeper, owner, customer, price_list, pump, installation, limits,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    run = _start(keeper, django_capture_on_commit_callbacks)
    new_list = PriceList.objects.get(name="B-Kunden 2027")
    new_list.valid_from = price_list.valid_from
    new_list.save()
    offer_services.offer_create(
        actor=owner, company=customer, data={"subject": "Pumpen 2027", "price_list": new_list}
    )
    with pytest.raises(CannotUndo, match="B-Kunden 2027"):
        import_undo(actor=keeper, run=run)
    assert PriceListItem.objects.filter(price_list=new_list).count() == 2


def test_an_inside_rep_does_not_import_prices(owner):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_create(
            actor=owner,
            file=io.BytesIO(PRICES.encode()),
            file_name="preise.csv",
            target_name="prices",
            constants={},
        )
