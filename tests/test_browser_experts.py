"""Browser test of an expert request: a line of the offer needs a technical check, the inside
rep finds application engineering in the expert directory and asks from the offer; the engineer
sees the question in his "Mein Tag", answers it, and the offer shows the answer. Fixtures and
helpers (Chromium, axe-core, screenshots) are those of tests/test_browser.py."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from innendienst.accounts.models import Role
from innendienst.experts.models import Expert, ExpertRequest
from innendienst.offers import services
from tests import factories
from tests.test_browser import (  # noqa: F401  (fixtures are found by name)
    LAPTOP,
    _de,
    browser,
    laptop,
    log_in,
    open_page,
    problems,
    shot,
)


@pytest.fixture
def engineer(team_south, pump):
    user = factories.UserFactory(
        username="anwendung", first_name="Jörg", last_name="Seidel",
        role=Role.PRODUCT_MANAGEMENT, team=team_south,
    )  # fmt: skip
    expert = Expert.objects.create(
        user=user, area="Anwendungstechnik", topics="Pumpen, Dichtungen, Ex-Schutz"
    )
    expert.product_groups.add(pump.group)
    return user


@pytest.mark.browser
def test_a_rep_asks_an_expert_from_the_offer_and_gets_the_answer(
    laptop,  # noqa: F811
    open_page,  # noqa: F811
    owner,
    offer,
    pump,
    engineer,
):
    services.offer_line_add(actor=owner, offer=offer, data={"product": pump, "quantity": 40})
    page = laptop
    log_in(page, "owner")

    # 1. The directory knows who knows pumps.
    page.goto(reverse("expert_index") + "?q=Pumpen")
    assert "Jörg Seidel" in page.locator("#expert-table").inner_text()

    # 2. From the offer: the suggested expert is preselected, the line chosen, the question sent.
    page.goto(reverse("offer_detail", args=[offer.pk]))
    page.get_by_role("link", name=_de("Ask experts")).click()
    assert "Jörg Seidel" in page.locator("#suggested-experts").inner_text()
    page.locator("#id_line").select_option(index=1)
    page.locator("#id_question").fill(
        "Hält die KP 40 Glykol 40 % bei 90 °C aus? Welche Gleitringdichtung empfehlen Sie?"
    )
    due = timezone.localdate() + datetime.timedelta(days=2)
    page.locator("#id_due_on").fill(due.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name=_de("Send request")).click()
    assert page.url.endswith(reverse("offer_detail", args=[offer.pk]))
    assert "Glykol" in page.locator("#expert-requests").inner_text()

    # 3. The engineer answers from his list.
    engineer_page = open_page(viewport=LAPTOP)
    log_in(engineer_page, "anwendung")
    engineer_page.goto(reverse("my_day"))
    assert offer.number in engineer_page.locator("#my-expert-requests").inner_text()
    engineer_page.goto(reverse("expert_requests"))
    engineer_page.locator("#waiting-requests textarea").fill(
        "Ja, mit Gleitringdichtung SiC/SiC und EPDM-Elastomeren; bis 120 °C freigegeben."
    )
    with engineer_page.expect_navigation():
        engineer_page.get_by_role("button", name=_de("Send answer")).click()
    assert ExpertRequest.objects.get().answer.startswith("Ja, mit Gleitringdichtung")

    # 4. The offer shows the answer.
    page.reload()
    panel = page.locator("#expert-requests")
    assert "SiC/SiC" in panel.inner_text()
    shot(page, "offer-expert-answer")
