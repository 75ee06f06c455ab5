"""Browser test of an offer from request to decision: the inside rep writes it from the
customer's price list, sees stock and delivery time, asks for approval of a discount above
her limit; the sales manager approves from "Mein Tag"; she previews and sends the PDF, sends a
second version on the customer's request and compares it; the tracking list, the forecast and
the analysis show it; a lost offer asks for its reason. Fixtures and helpers (Chromium,
axe-core, screenshots) are those of tests/test_browser.py."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.urls import reverse

from innendienst.activities.models import Activity, ActivityType
from innendienst.core.models import SiteSetting
from innendienst.offers.letterhead import LETTERHEAD_KEY
from innendienst.offers.models import ApprovalStatus, Offer, OfferStatus
from tests.test_browser import (  # noqa: F401  (fixtures are found by name)
    LAPTOP,
    SCREENSHOTS,
    _de,
    browser,
    laptop,
    log_in,
    open_page,
    problems,
    shot,
)


def save_pdf(content: bytes, name: str) -> None:
    """The PDF for the visual review, and its first page as PNG where poppler is installed."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.pdf"
    path.write_bytes(content)
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-singlefile", str(path), str(SCREENSHOTS / name)],
            check=True,
        )


@pytest.fixture
def shop(customer, price_list, pump, installation, limits, manager, person):
    """The B customer with a buyer, and a second customer for the lost offer."""
    person.function = "Einkaufsleiterin"
    person.save()
    SiteSetting.objects.create(
        key=LETTERHEAD_KEY,
        value={
            "company_name": "Pumpen Huber GmbH",
            "street": "Gewerbering 4",
            "postcode": "83022",
            "city": "Rosenheim",
            "country": "DE",
            "phone": "+49 8031 4040",
            "email": "vertrieb@pumpen-huber.de",
            "vat_id": "DE811234567",
            "register": "Amtsgericht Traunstein HRB 12345",
            "managing_directors": "Maria Huber",
            "bank": "Sparkasse Rosenheim · IBAN DE44 7115 0000 0000 1234 56 · BIC BYLADEM1ROS",
        },
    )
    return customer


@pytest.mark.browser
def test_an_offer_from_request_to_decision(
    laptop,  # noqa: F811
    open_page,  # noqa: F811
    problems,  # noqa: F811
    shop,
    pump,
    installation,
    person,
):
    problems.allowed_statuses.add(422)  # the negative quantity, the missing competitor
    page = laptop
    log_in(page, "owner")

    # 1. From the customer's page: a new offer, its price list preselected.
    page.goto(reverse("company_detail", args=[shop.pk]))
    page.get_by_role("link", name=_de("New offer")).click()
    page.locator("#id_subject").fill("40 Kreiselpumpen mit Montage")
    page.locator("#id_contact").select_option(label=str(person))
    with page.expect_navigation():
        page.get_by_role("button", name=_de("Save")).click()
    offer = Offer.objects.get()
    assert offer.price_list.name == "B-Kunden 2026"

    # 2. Lines: a negative quantity is answered at its field, then 40 pumps and the fitting.
    page.locator("#id_line-product").fill(pump.sku)
    page.locator("#id_line-quantity").fill("-40")
    page.get_by_role("button", name=_de("Add line")).click()
    assert page.locator("#id_line-quantity_error, .field:has(#id_line-quantity) .errorlist").count()
    page.locator("#id_line-quantity").fill("40")
    page.locator("#id_line-discount_percent").fill("12")
    with page.expect_navigation():
        page.get_by_role("button", name=_de("Add line")).click()
    page.locator("summary", has_text=_de("Add a line")).click()
    page.locator("#id_line-product").fill(installation.sku)
    page.locator("#id_line-quantity").fill("16")
    with page.expect_navigation():
        page.get_by_role("button", name=_de("Add line")).click()
    lines = page.locator("#offer-lines")
    assert "12 ab Lager, 28 in 6 Wochen" in lines.inner_text()
    assert "1.100,00" in lines.inner_text()

    # 3. 12 % is above her 8 %: she asks the sales manager.
    assert page.locator("#approval-required").is_visible()
    page.locator("#id_approval-reason").fill("Rahmenvertrag 2027, der Wettbewerber bietet 10 %.")
    shot(page, "offer-approval-required")
    with page.expect_navigation():
        page.get_by_role("button", name=_de("Ask for approval")).click()
    assert page.locator("#approval-pending").is_visible()

    # 4. The manager approves from his "Mein Tag".
    manager_page = open_page(viewport=LAPTOP)
    log_in(manager_page, "leitung")
    manager_page.goto(reverse("my_day"))
    approvals = manager_page.locator("#approvals")
    assert offer.number in approvals.inner_text()
    shot(manager_page, "my-day-approvals")
    with manager_page.expect_navigation():
        approvals.get_by_role("button", name=_de("Approve")).click()
    assert offer.approvals.get().status == ApprovalStatus.APPROVED

    # 5. She previews the PDF and sends version 1.
    page.reload()
    pdf = page.request.get(reverse("offer_pdf", args=[offer.pk]))
    assert pdf.headers["content-type"] == "application/pdf"
    save_pdf(pdf.body(), "offer-pdf")
    with page.expect_navigation():
        page.get_by_role("button", name=_de("Send version %(revision)s") % {"revision": 1}).click()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.SENT
    assert Activity.objects.filter(kind=ActivityType.TASK, subject__contains=offer.number).exists()
    shot(page, "offer-sent")

    # 6. The customer wants 36 pumps: version 2, compared line by line with version 1.
    with page.expect_navigation():
        page.get_by_role("button", name=_de("New version")).click()
    page.locator("#offer-lines tr", has_text="PU-4000").get_by_role(
        "link", name=_de("Edit")
    ).click()
    page.locator("#id_quantity").fill("36")
    with page.expect_navigation():
        page.get_by_role("button", name=_de("Save")).click()
    # The changed quantity changed the discount: the approval of version 1 does not cover v2.
    if page.locator("#approval-required").count():
        with page.expect_navigation():
            page.get_by_role("button", name=_de("Ask for approval")).click()
        manager_page.goto(reverse("my_day"))
        with manager_page.expect_navigation():
            manager_page.locator("#approvals").get_by_role("button", name=_de("Approve")).click()
        page.reload()
    with page.expect_navigation():
        page.get_by_role("button", name=_de("Send version %(revision)s") % {"revision": 2}).click()
    page.get_by_role("link", name=_de("Version %(number)s") % {"number": 2}).click()
    compared = page.locator("#version-lines")
    assert "36" in compared.inner_text()
    assert page.locator("#version-lines del", has_text="40").count() == 1
    shot(page, "offer-versions-compared")

    # 7. The tracking list, the forecast and the analysis.
    page.goto(reverse("offer_tracking"))
    assert offer.number in page.locator("#offer-tracking").inner_text()
    shot(page, "offer-tracking")
    page.goto(reverse("offer_forecast"))
    assert page.locator(".forecast-chart svg").is_visible()
    assert "PU-4000" in page.locator("#forecast-quantities").inner_text()
    shot(page, "offer-forecast")

    # 8. Lost: the reason and the competitor are asked for at their fields.
    page.goto(reverse("offer_detail", args=[offer.pk]))
    page.locator("summary", has_text=_de("Lost")).click()
    page.locator("#id_lose-reason").select_option(value="competitor")
    page.get_by_role("button", name=_de("Mark as lost")).click()
    assert page.locator(".field:has(#id_lose-competitor) .errorlist").is_visible()
    page.locator("#id_lose-competitor").fill("Grundfos")
    with page.expect_navigation():
        page.get_by_role("button", name=_de("Mark as lost")).click()
    offer.refresh_from_db()
    assert (offer.status, offer.competitor) == (OfferStatus.LOST, "Grundfos")
    why = Activity.objects.get(kind=ActivityType.TASK, notes__contains="Grundfos")
    assert why.assigned_to.username == "owner"
    page.goto(reverse("offer_analysis"))
    assert "Grundfos" in page.locator("#loss-by-competitor").inner_text()
    shot(page, "offer-analysis")
