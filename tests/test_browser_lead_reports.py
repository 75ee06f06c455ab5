"""Browser test of the sales manager's view of the leads: SLA adherence per team, rep and
source, lead conversion per source and stage, why each lead went to whom against the reps'
capacities, and the reaction times he keeps. Fixtures and helpers (Chromium, axe-core,
screenshots) are those of tests/test_browser.py."""

from __future__ import annotations

import pytest

from innendienst.accounts.models import Role
from innendienst.leads.models import LeadCapacity, LeadStage
from innendienst.leads.services import lead_capture, lead_move
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

FAIR = {"source": "trade_fair", "source_name": "LogiMAT 2027"}


@pytest.fixture
def leads_of_the_quarter(owner, company, territories):
    field_rep = factories.UserFactory(
        username="aussendienst", first_name="Max", last_name="Brandl",
        role=Role.FIELD_SALES, territories=[territories["BY"]],
    )  # fmt: skip
    factories.UserFactory(
        username="leitung", role=Role.SALES_MANAGER, territories=[territories["DE"]]
    )
    company.field_rep = field_rep
    company.save()
    LeadCapacity.objects.create(user=owner, per_month=40)
    won = lead_capture(actor=owner, company=company, data=FAIR)[0]
    for stage in (LeadStage.MQL, LeadStage.SQL):
        won = lead_move(actor=owner, lead=won, to_stage=stage)
    lead_move(actor=field_rep, lead=won, to_stage=LeadStage.ACCEPTED)
    lead_capture(actor=owner, company=company, data=FAIR)
    lead_capture(actor=owner, company=company, data={"source": "web_form"})


def test_the_sales_manager_sees_conversion_assignments_and_reaction_times(
    laptop,  # noqa: F811
    leads_of_the_quarter,
    problems,  # noqa: F811
):
    problems.allowed_statuses.add(422)  # the reaction time the test types wrong
    page = laptop
    log_in(page, "leitung")
    page.goto("/leads/")
    with page.expect_navigation():
        page.get_by_role("link", name=_de("Lead conversion")).click()
    table = page.locator("#conversion-results table").inner_text()
    assert _de("Trade fair") in table
    shot(page, "70-lead-conversion")

    page.goto("/leads/assignments/")
    assert "Lena Hoffmann" in page.locator("section[aria-labelledby=h-loads]").inner_text()
    assert (
        "Müller Maschinenbau" in page.locator("section[aria-labelledby=h-assignments]").inner_text()
    )
    shot(page, "71-lead-assignments")

    page.goto("/leads/sla/")
    with page.expect_navigation():
        page.get_by_role("link", name=_de("Reaction times")).click()
    page.locator("#id_sla-sql-all").fill("6")
    page.locator("#id_sla-ql-web_form").fill("null")
    with page.expect_navigation():
        page.get_by_role("button", name=_de("Save")).click()
    assert page.locator("#id_sla-ql-web_form_error").is_visible()
    shot(page, "72-reaction-time-error")
    page.locator("#id_sla-ql-web_form").fill("2")
    with page.expect_navigation():
        page.get_by_role("button", name=_de("Save")).click()
    assert page.locator("#id_sla-sql-all").input_value() == "6"
    shot(page, "73-reaction-times")
