"""The offers' pages beside the tracking list: the forecast with its chart and Excel file, the
analysis of lost offers and processing times with the model's calibration, the offer as PDF,
and the letterhead management sets."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from innendienst.core.models import SiteSetting
from innendienst.offers import services
from innendienst.offers.letterhead import LETTERHEAD_KEY
from innendienst.offers.models import LossReason, Offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(owner) -> Client:
    client = Client()
    client.force_login(owner)
    return client


@pytest.fixture
def manager_client(manager) -> Client:
    client = Client()
    client.force_login(manager)
    return client


@pytest.fixture
def sent_offer(offer, owner, pump):
    services.offer_line_add(actor=owner, offer=offer, data={"product": pump, "quantity": 40})
    services.offer_send(actor=owner, offer=offer)
    offer.refresh_from_db()
    return offer


def test_the_forecast_shows_the_months_and_exports_them(owner_client, sent_offer):
    Offer.objects.filter(pk=sent_offer.pk).update(
        win_probability=0.5, expected_close_on=timezone.localdate()
    )
    page = owner_client.get(reverse("offer_forecast"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body
    assert "22.000,00\xa0€" in body  # 44,000 × 50 % this month
    assert "PU-4000" in body
    export = owner_client.get(reverse("offer_forecast_export"))
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(export.streaming_content)))
    revenue = workbook.get_sheet_by_index(0).to_python()
    assert revenue[4][1] == 22000.0
    quantities = workbook.get_sheet_by_index(1).to_python()
    assert quantities[3][0] == "PU-4000"
    assert quantities[3][3] == 20.0


def test_the_analysis_shows_why_offers_were_lost(owner_client, owner, sent_offer):
    services.offer_lose(
        actor=owner, offer=sent_offer, reason=LossReason.COMPETITOR, competitor="Grundfos"
    )
    page = owner_client.get(reverse("offer_analysis")).content.decode()
    assert "Grundfos" in page
    assert sent_offer.lines.first().product.group.name in page
    assert 'id="processing-times"' in page


def test_only_management_trains_the_model_and_sets_the_letterhead(owner_client, manager_client):
    assert owner_client.post(reverse("win_model_train")).status_code == 403
    assert owner_client.get(reverse("letterhead_edit")).status_code == 403
    response = manager_client.post(reverse("win_model_train"))
    assert response["Location"] == reverse("offer_analysis")


def test_the_letterhead_is_saved_and_its_name_is_required(manager_client, manager):
    response = manager_client.post(
        reverse("letterhead_edit"), {"company_name": "", "country": "DE"}
    )
    assert response.status_code == 422
    assert response.context["form"].errors["company_name"]
    response = manager_client.post(
        reverse("letterhead_edit"),
        {"company_name": "Pumpen Huber GmbH", "city": "Rosenheim", "country": "DE"},
    )
    assert response.status_code == 302
    stored = SiteSetting.objects.get(key=LETTERHEAD_KEY).value
    assert (stored["company_name"], stored["city"]) == ("Pumpen Huber GmbH", "Rosenheim")


def test_the_offer_comes_as_pdf_in_its_sent_version(owner_client, owner, sent_offer, pump):
    response = owner_client.get(reverse("offer_pdf", args=[sent_offer.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"{sent_offer.number}-v1.pdf" in response["Content-Disposition"]
    services.offer_revise(actor=owner, offer=sent_offer)
    draft = owner_client.get(reverse("offer_pdf", args=[sent_offer.pk]))
    assert f"{sent_offer.number}-v2.pdf" in draft["Content-Disposition"]
    first = sent_offer.revisions.get()
    old = owner_client.get(reverse("revision_pdf", args=[first.pk]))
    assert f"{sent_offer.number}-v1.pdf" in old["Content-Disposition"]


def test_an_outsider_gets_no_pdf(client, outsider, sent_offer):
    client.force_login(outsider)
    assert client.get(reverse("offer_pdf", args=[sent_offer.pk])).status_code == 404


def test_the_tracking_list_shows_the_chance(owner_client, sent_offer):
    Offer.objects.filter(pk=sent_offer.pk).update(win_probability=0.4236)
    page = owner_client.get(reverse("offer_tracking")).content.decode()
    assert "42\xa0%" in page


def test_a_francs_offer_prints_its_total_in_rappen(owner_client, owner, customer, group_b):
    from innendienst.catalog.models import PriceList

    customer.country = "CH"
    customer.currency = "CHF"
    customer.save(update_fields=["country", "currency"])
    PriceList.objects.create(
        name="B CHF", customer_group=group_b, currency="CHF",
        valid_from=timezone.localdate() - datetime.timedelta(days=1),
    )  # fmt: skip
    offer = services.offer_create(actor=owner, company=customer, data={"subject": "Dichtungen"})
    services.offer_line_add(
        actor=owner, offer=offer,
        data={"description": "Dichtsatz", "quantity": 1, "unit_price": D("93.47")},
    )  # fmt: skip
    page = owner_client.get(reverse("offer_detail", args=[offer.pk])).content.decode()
    assert "CHF 101.05" in page  # 93.47 + 8.1 % = 101.04 → 5 Rappen
    assert "CHF 0.01" in page


def test_management_sets_the_discount_limits(manager_client, owner_client, limits):
    from innendienst.catalog.models import DiscountLimit

    assert owner_client.get(reverse("discount_limits_edit")).status_code == 403
    page = manager_client.get(reverse("discount_limits_edit"))
    assert page.context["form"].initial["inside_sales"] == D("8")
    response = manager_client.post(
        reverse("discount_limits_edit"),
        {"inside_sales": "10", "sales_manager": "130", "field_sales": ""},
    )
    assert response.status_code == 422
    assert response.context["form"].errors["sales_manager"]
    response = manager_client.post(
        reverse("discount_limits_edit"), {"inside_sales": "10", "sales_manager": "25"}
    )
    assert response.status_code == 302
    assert dict(DiscountLimit.objects.values_list("role", "max_percent")) == {
        "inside_sales": D("10"),
        "sales_manager": D("25"),
    }
