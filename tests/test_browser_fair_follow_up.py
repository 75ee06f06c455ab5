"""Browser test of the follow-up call after a trade fair (Messe-Nachfassgespräch): the inside
rep finds the fair lead nobody has called yet, records the call with the decider and the day
field sales may visit, and the field rep finds the visit and the lead handed to him. Fixtures
and helpers (Chromium, axe-core, screenshots) are those of tests/test_browser.py."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from innendienst.accounts.models import Role
from innendienst.activities.models import Activity, ActivityType
from innendienst.contacts.models import BuyingCenterMembership, BuyingCenterRole
from innendienst.leads.calendar import calendar_of
from innendienst.leads.models import LeadStage
from innendienst.leads.services import FollowUpInterest, lead_capture
from tests import factories
from tests.test_browser import (  # noqa: F401  (fixtures are found by name)
    LAPTOP,
    _de,
    _de_label,
    browser,
    field_of,
    laptop,
    log_in,
    open_page,
    problems,
    shot,
)

MUELLER = "Müller Maschinenbau GmbH & Co. KG"


@pytest.fixture
def fair(company, person, owner, territories):
    """Anna Berger of Müller talked to Lena at the LogiMAT booth; Müller has a field rep."""
    field_rep = factories.UserFactory(
        username="field",
        first_name="Max",
        last_name="Außendienst",
        role=Role.FIELD_SALES,
        territories=[territories["BY"]],
    )
    company.field_rep = field_rep
    company.save()
    factories.PersonFactory(company=company, first_name="Thomas", last_name="Huber")
    lead = lead_capture(
        actor=owner,
        company=company,
        data={
            "person_id": person.pk,
            "source": "trade_fair",
            "source_name": "LogiMAT 2027",
            "interests": "Kreiselpumpen",
        },
    )[0]
    calendar = calendar_of(company.territory)
    visit_on = timezone.localdate() + datetime.timedelta(days=7)
    while not calendar.is_working_day(visit_on):
        visit_on += datetime.timedelta(days=1)
    return {"lead": lead, "field_rep": field_rep, "person": person, "visit_on": visit_on}


@pytest.mark.browser
def test_inside_rep_records_the_fair_follow_up_and_the_field_rep_finds_the_visit(
    laptop,  # noqa: F811
    open_page,  # noqa: F811
    fair,
    problems,  # noqa: F811
):
    problems.allowed_statuses.add(422)  # the call saved without saying how concrete
    page = laptop
    lead, anna = fair["lead"], fair["person"]
    log_in(page, "owner")

    # 1. The inbox's list of fair leads nobody has called yet has Müller's.
    page.goto(reverse("lead_inbox") + "?fair=not_called")
    row = page.locator("#lead-results a", has_text=MUELLER).first
    row.wait_for()
    shot(page, "fair-follow-up-01-not-called")
    with page.expect_navigation():
        row.click()
    assert page.url.endswith(reverse("lead_detail", args=[lead.pk]))
    form = page.locator("#follow-up-form")
    assert form.is_visible()  # a fair lead: the call comes first, unfolded
    shot(page, "fair-follow-up-02-lead-page")

    # 2. Saved without saying how concrete the interest is: the error sits at that field, and
    # what was typed stays.
    form.locator("#follow-up-outcome").select_option("reached")
    form.locator("#follow-up-information").fill("Referenzliste Lebensmittelindustrie")
    with page.expect_response(lambda r: "/follow-up/" in r.url) as posted:
        form.get_by_role("button", name=_de("Save call")).click()
    assert posted.value.status == 422
    error = page.locator("#follow-up-interest_error")
    error.wait_for()
    assert _de("Please say how concrete the interest is.") in error.inner_text()
    assert (
        page.locator("#follow-up-information").input_value()
        == "Referenzliste Lebensmittelindustrie"
    )
    shot(page, "fair-follow-up-03-interest-missing")

    # 3. A concrete need, Anna is the decider, field sales may come on the visit day.
    form = page.locator("#follow-up-form")
    form.get_by_label(_de_label(FollowUpInterest.CONCRETE.label), exact=True).check()
    form.locator("#follow-up-need").fill("40 Kreiselpumpen mit Montage")
    form.locator("#follow-up-timing").fill("Q3 2027")
    field_of(page, "follow-up-key_contacts_0_person").locator("select").select_option(str(anna.pk))
    form.locator("#follow-up-key_contacts_0_role").select_option(BuyingCenterRole.DECIDER)
    form.locator("#follow-up-visit_on").fill(fair["visit_on"].isoformat())
    form.locator("#follow-up-note").fill("Will das Werk zeigen.")
    shot(page, "fair-follow-up-04-filled")
    with page.expect_navigation():
        form.get_by_role("button", name=_de("Save call")).click()
    assert page.url.endswith(reverse("lead_detail", args=[lead.pk]))
    toast = page.locator(".toast").first
    assert "Max Außendienst" in toast.inner_text()
    assert page.locator("#follow-up-form").count() == 0  # handed over: sales answers now
    shot(page, "fair-follow-up-05-handed-over")
    lead.refresh_from_db()
    assert (lead.stage, lead.owner) == (LeadStage.SQL, fair["field_rep"])
    assert BuyingCenterMembership.objects.filter(person=anna, role="decider").exists()
    visit = Activity.objects.get(kind=ActivityType.TASK, assigned_to=fair["field_rep"])
    assert timezone.localdate(visit.due_at) == fair["visit_on"]

    # 4. The field rep finds the visit on "My day" and the lead waiting for his answer.
    rep_page = open_page(viewport=LAPTOP)
    log_in(rep_page, "field")
    rep_page.goto(reverse("my_day"))
    subject = _de("Visit: %(company)s") % {"company": MUELLER}
    task = rep_page.locator("section[aria-labelledby=h-upcoming] li", has_text=subject)
    task.wait_for()
    leads = rep_page.locator("section[aria-labelledby=h-my-leads]")
    assert MUELLER in leads.inner_text()
    shot(rep_page, "fair-follow-up-06-field-rep-my-day")
    rep_page.goto(reverse("lead_detail", args=[lead.pk]))
    assert rep_page.locator("input[name=stage][value=accepted]").count() == 1
    assert "Anna Berger" in rep_page.locator("body").inner_text()
    shot(rep_page, "fair-follow-up-07-field-rep-lead")
