"""Browser test of a telephone campaign: the team lead plans it in phases and sees the Gantt
chart, exports the plan, writes the call guide and builds the campaign's call list; the inside
rep calls with the guide on screen and her answers land in the CRM. Fixtures and helpers
(Chromium, axe-core, screenshots) are those of tests/test_browser.py."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from innendienst.accounts.models import Role
from innendienst.activities.models import Activity, ActivityType, CallGuide, CallList
from innendienst.campaigns.models import Campaign, CampaignPhase
from innendienst.contacts.models import BuyingCenterMembership, CompanyStatus, Person
from innendienst.leads.models import Lead
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
def customers(company, territories, owner, team_south):
    factories.UserFactory(
        username="leitung", first_name="Sabine", last_name="Leitner",
        role=Role.SALES_MANAGER, team=team_south,
    )  # fmt: skip
    # Only Anna Berger has a number: the list holds her alone.
    company.status, company.phone = CompanyStatus.CUSTOMER, ""
    company.save()
    factories.PersonFactory(company=company, first_name="Karl", last_name="Brandt")
    return factories.PersonFactory(
        company=company, first_name="Anna", last_name="Berger", phone="+49 89 1234 100"
    )


def _add_phase(page, name, starts_on, days, after="", progress=0):
    page.locator("#id_phase-name").fill(name)
    page.locator("#id_phase-starts_on").fill(starts_on.isoformat())
    page.locator("#id_phase-ends_on").fill(
        (starts_on + datetime.timedelta(days=days - 1)).isoformat()
    )
    if after:
        page.locator("#id_phase-depends_on").select_option(label=after)
    page.locator("#id_phase-progress").fill(str(progress))
    page.get_by_role("button", name=_de("Add phase")).click()


@pytest.mark.browser
def test_team_lead_plans_a_campaign_and_a_rep_calls_with_its_guide(
    laptop,  # noqa: F811
    open_page,  # noqa: F811
    problems,  # noqa: F811
    customers,
    tmp_path,
):
    problems.allowed_statuses.add(422)  # the phase that starts too early, the wrong answer
    page = laptop
    log_in(page, "leitung")

    # 1. The team lead creates the campaign and plans its phases.
    page.goto(reverse("campaign_create"))
    page.locator("#id_name").fill("Reaktivierung C-Kunden Q1")
    page.locator("#id_description").fill(
        "Ehemalige Kunden zurückgewinnen, Termine für den Außendienst."
    )
    with page.expect_navigation():
        page.get_by_role("button", name=_de("Save")).click()
    campaign = Campaign.objects.get()
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    plan = [
        ("Listen aufbereiten", monday - datetime.timedelta(days=14), 5, "", 100),
        ("Gesprächsleitfaden", monday - datetime.timedelta(days=7), 5, "Listen aufbereiten", 100),
        ("Anrufwochen", monday, 19, "Gesprächsleitfaden", 30),
        ("Nachfassen", monday + datetime.timedelta(days=21), 10, "Anrufwochen", 0),
    ]
    for name, starts_on, days, after, progress in plan:
        with page.expect_navigation():
            _add_phase(page, name, starts_on, days, after, progress)
    assert CampaignPhase.objects.count() == 4
    assert page.locator(".gantt .gantt-bar").count() == 4
    assert page.locator(".gantt .gantt-arrow").count() == 3
    assert page.locator(".gantt .gantt-today").count() == 1
    shot(page, "campaigns-01-gantt")

    # 2. A phase that would start before the one it waits for: the error is at its start.
    with page.expect_navigation():
        _add_phase(page, "Zu früh", monday + datetime.timedelta(days=3), 3, "Anrufwochen")
    assert page.locator("#id_phase-starts_on_error").is_visible()
    shot(page, "campaigns-02-phase-too-early")

    # 3. The plan as an Excel workbook.
    with page.expect_download() as download:
        page.get_by_role("link", name=_de("Plan as Excel")).click()
    assert download.value.suggested_filename == "Plan-reaktivierung-c-kunden-q1.xlsx"

    # 4. The call guide, with questions whose answers go into the CRM.
    page.goto(reverse("call_guide_edit", args=[campaign.pk]))
    page.locator("#id_goal").fill("Einen Besuchstermin für den Außendienst vereinbaren.")
    page.locator("#id_opener").fill("Guten Tag, hier ist Lena Hoffmann von der Pumpen AG …")
    page.locator("#id_hook").fill("Stillstandszeiten um ein Drittel senken.")
    page.locator("#id_gatekeeper").fill("Nach der Instandhaltungsleitung fragen.")
    for index, (text, kind) in enumerate([
        ("Wer entscheidet über die Beschaffung?", "decider"),
        ("Wann am besten erreichbar?", "best_time_to_reach"),
        ("Aktueller Bedarf?", "lead_need"),
    ]):  # fmt: skip
        page.locator(f"#id_questions-{index}-text").fill(text)
        page.locator(f"#id_questions-{index}-kind").select_option(kind)
    shot(page, "campaigns-03-guide")
    with page.expect_navigation():
        page.get_by_role("button", name=_de("Save as new version")).click()
    assert CallGuide.objects.get().questions.count() == 3

    # 5. The campaign's call list, from its page.
    with page.expect_navigation():
        page.get_by_role("link", name=_de("New call list")).click()
    page.locator("#id_status").select_option(CompanyStatus.CUSTOMER)
    page.locator("#call-list-count").filter(has_text="1").wait_for()
    page.locator("#id_name").fill("Reaktivierung Bayern")
    with page.expect_navigation():
        page.get_by_role("button", name=_de("Create call list")).click()
    call_list = CallList.objects.get()
    assert call_list.campaign == campaign

    # 6. The rep calls: the guide is on screen, the outcome by number key, the answers typed.
    page = open_page(viewport=LAPTOP)
    log_in(page, "owner")
    page.goto(reverse("call_list_detail", args=[call_list.pk]))
    with page.expect_navigation():
        page.keyboard.press("n")
    assert page.locator("#call-guide").inner_text().count("Pumpen AG") == 1
    page.keyboard.press("6")  # appointment for field sales
    appointment = timezone.localtime() + datetime.timedelta(days=3)
    page.locator("#id_appointment_at").fill(appointment.strftime("%Y-%m-%dT10:00"))
    questions = page.locator("#guide-questions")
    questions.get_by_label("Wer entscheidet über die Beschaffung?").select_option(
        label="Karl Brandt"
    )
    questions.get_by_label("Wann am besten erreichbar?").fill("dienstags ab 10 Uhr")
    questions.get_by_label("Aktueller Bedarf?").fill("Zwei Umwälzpumpen bis März")
    shot(page, "campaigns-04-call-with-guide")
    with page.expect_navigation():
        page.get_by_role("button", name=_de("Save"), exact=True).click()

    berger = Person.objects.get(last_name="Berger")
    assert berger.best_time_to_reach == "dienstags ab 10 Uhr"
    assert BuyingCenterMembership.objects.get().person.last_name == "Brandt"
    assert Lead.objects.get().need == "Zwei Umwälzpumpen bis März"
    page.goto(reverse("campaign_detail", args=[campaign.pk]))
    shot(page, "campaigns-05-campaign-page")

    # 7. The visit is in "Mein Tag" (the company has no field rep: the caller keeps it) and
    # goes into the calendar as an .ics file.
    page.goto(reverse("my_day"))
    visit = Activity.objects.get(kind=ActivityType.TASK)
    with page.expect_download() as download:
        page.locator(f"a[href='{reverse('activity_calendar', args=[visit.pk])}']").click()
    assert download.value.suggested_filename == f"termin-{visit.pk}.ics"
    ics = download.value.path().read_text()
    assert f"SUMMARY:{visit.subject}" in ics.replace("\n ", "")
    shot(page, "campaigns-06-visit-in-my-day")
