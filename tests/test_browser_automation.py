"""Browser test of the source texts' automation example: the sales manager writes the rule
"a contact clicks the product video in the newsletter → a follow-up task for the field rep and
points on the lead", the newsletter tool reports a click (a signed request to the real server),
and the field rep finds the task in "Mein Tag" while the lead's score says why it rose.
Fixtures and helpers (Chromium, axe-core, screenshots) are those of tests/test_browser.py."""

from __future__ import annotations

import json
import urllib.request

import pytest

from innendienst.accounts.models import Role
from innendienst.automation import api, signing
from innendienst.automation.models import EventSource
from innendienst.leads.models import Lead
from innendienst.leads.services import lead_capture
from tests import factories
from tests.test_browser import (  # noqa: F401  (fixtures are found by name)
    _de,
    browser,
    laptop,
    log_in,
    open_page,
    problems,
    shot,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def newsletter_setup(owner, company, person, territories):
    field_rep = factories.UserFactory(
        username="aussendienst", first_name="Max", last_name="Brandl",
        role=Role.FIELD_SALES, territories=[territories["BY"]],
    )  # fmt: skip
    factories.UserFactory(
        username="leitung", role=Role.SALES_MANAGER, territories=[territories["DE"]]
    )
    company.field_rep = field_rep
    company.save()
    person.email = "anna.berger@mueller-maschinenbau.de"
    person.save()
    lead, _created = lead_capture(
        actor=owner, company=company,
        data={"person_id": person.pk, "source": "campaign", "source_name": "Newsletter März"},
    )  # fmt: skip
    source = EventSource.objects.create(name="Newsletter (CleverReach)", key="newsletter")
    api._sources.clear()  # the server keeps sources for a few seconds
    return {"lead": lead, "source": source, "person": person}


def _send_click(base_url: str, source: EventSource, email: str) -> int:
    body = json.dumps({
        "id": "cr-2027-03-0815", "type": "newsletter.click", "email": email,
        "data": {"link": "https://www.example.com/produktvideo-pumpen", "mailing": "März"},
    }).encode()  # fmt: skip
    headers = {
        "Content-Type": "application/json",
        signing.SOURCE_HEADER: source.key,
        **signing.signed_headers(source.secret, body),
    }
    request = urllib.request.Request(f"{base_url}/api/v1/events", body, headers, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def test_a_newsletter_click_gives_the_field_rep_a_task_and_the_lead_points(
    laptop,  # noqa: F811
    newsletter_setup,
    live_server,
):
    page = laptop
    log_in(page, "leitung")
    page.goto("/automation/")
    with page.expect_navigation():
        page.get_by_role("link", name=_de("New rule")).click()
    page.locator("#id_name").fill("Produktvideo geklickt")
    page.locator("#id_trigger").select_option("inbound:newsletter.click")
    page.get_by_label(_de("Event details contain")).fill("produktvideo")
    page.locator("#id_task_assignee").select_option("field_rep")
    page.get_by_label(_de("Task subject")).fill("Nachfassen: Produktvideo angesehen")
    page.get_by_label(_de("Change the lead's score by")).fill("8")
    page.get_by_label(_de("Because")).fill("Produktvideo angesehen")
    shot(page, "60-automation-rule-form")
    with page.expect_navigation():
        page.get_by_role("button", name=_de("Save rule")).click()
    assert "Produktvideo geklickt" in page.locator("main").inner_text()

    lead = newsletter_setup["lead"]
    score_before = lead.score
    assert _send_click(live_server.url, newsletter_setup["source"],
                       newsletter_setup["person"].email) == 202  # fmt: skip
    assert Lead.objects.get(pk=lead.pk).score == score_before + 8

    page.reload()
    runs = page.locator("main section").last.inner_text()
    assert _de("done") in runs
    assert "Max Brandl" in runs
    shot(page, "61-automation-rule-ran")

    page.context.clear_cookies()
    log_in(page, "aussendienst")
    assert "Nachfassen: Produktvideo angesehen" in page.locator("main").inner_text()
    shot(page, "62-field-rep-task-from-rule")
    page.goto(f"/leads/{lead.pk}/")
    assert "+8" in page.locator("#lead-score").inner_text()
    assert (
        "Produktvideo angesehen"
        in page.locator("section[aria-labelledby=h-engagements]").inner_text()
    )
    shot(page, "63-lead-score-with-engagement")
