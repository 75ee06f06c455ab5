"""Browser test of telephone acquisition: the team lead puts a call list together from the
company filters, two inside reps press "next call" and get different contacts, one works
the call screen with the keyboard (number keys, "n"). Fixtures and helpers (Chromium,
axe-core, screenshots) are those of tests/test_browser.py."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from innendienst.accounts.models import Role
from innendienst.activities.models import Activity, ActivityType, CallEntryStatus, CallList
from innendienst.contacts.models import CompanyStatus, Priority
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
def customers(company, territories, owner, teammate, team_south):
    """Three C customers in Bavaria with a contact each, and a prospect that stays off."""
    factories.UserFactory(
        username="leitung", first_name="Sabine", last_name="Leitner",
        role=Role.SALES_MANAGER, team=team_south,
    )  # fmt: skip
    company.status, company.priority = CompanyStatus.CUSTOMER, Priority.C
    company.save()
    others = [
        factories.CompanyFactory(
            name=name, territory=territories["BY"], priority=Priority.C, city=city
        )
        for name, city in (("Huber Fördertechnik AG", "Augsburg"), ("Wagner Logistik", "Passau"))
    ]
    factories.CompanyFactory(
        name="Neukunde Interessent GmbH", territory=territories["BY"], status=CompanyStatus.PROSPECT
    )
    people = [
        factories.PersonFactory(company=company, first_name="Anna", last_name="Berger",
                                phone="+49 89 1234 100"),
        factories.PersonFactory(company=others[0], first_name="Tobias", last_name="Huber",
                                phone="+49 821 555 20"),
        factories.PersonFactory(company=others[1], first_name="Eva", last_name="Wagner",
                                mobile="+49 171 2233445"),
    ]  # fmt: skip
    return people


@pytest.mark.browser
def test_team_lead_builds_a_list_and_two_reps_call_from_it(
    laptop,  # noqa: F811
    open_page,  # noqa: F811
    customers,
    problems,  # noqa: F811
):
    problems.allowed_statuses.add(422)  # the callback saved without its time
    page = laptop
    log_in(page, "leitung")

    # 1. The team lead filters the customers and sees who the list will hold.
    page.goto(reverse("call_list_create"))
    page.locator("#id_status").select_option(CompanyStatus.CUSTOMER)
    page.locator("#call-list-count").filter(has_text="3").wait_for()
    page.locator("#id_name").fill("Reaktivierung C-Kunden Q1")
    shot(page, "call-lists-01-new")
    with page.expect_navigation():
        page.get_by_role("button", name=_de("Create call list")).click()
    call_list = CallList.objects.get(name="Reaktivierung C-Kunden Q1")
    assert call_list.entries.count() == 3
    shot(page, "call-lists-02-list")

    # 2. Two reps press "next call" at once: each gets a different contact.
    lena = open_page(viewport=LAPTOP)
    jonas = open_page(viewport=LAPTOP)
    log_in(lena, "owner")
    log_in(jonas, "teammate")
    for rep in (lena, jonas):
        rep.goto(reverse("call_list_detail", args=[call_list.pk]))
    with lena.expect_navigation():
        lena.keyboard.press("n")
    with jonas.expect_navigation():
        jonas.get_by_role("button", name=_de("Next call")).click()
    lenas_contact = lena.locator("#call-person").inner_text()
    jonas_contact = jonas.locator("#call-person").inner_text()
    assert lenas_contact != jonas_contact
    assert lena.locator("a[href^='tel:']").count() >= 1
    shot(lena, "call-lists-03-call-screen")

    # 3. Lena picks "callback" with its number key but forgets the time: the error is at the
    # field, and her note stays.
    lena.keyboard.press("7")
    assert lena.locator("input[name=outcome][value=callback]").is_checked()
    lena.locator("#id_notes").fill("Ruft nach der Messe zurück")
    with lena.expect_response(lambda r: "/calls/entries/" in r.url) as posted:
        lena.get_by_role("button", name=_de("Save and next call")).click()
    assert posted.value.status == 422
    assert lena.locator("#id_callback_at_error").is_visible()
    assert lena.locator("#id_notes").input_value() == "Ruft nach der Messe zurück"
    shot(lena, "call-lists-04-callback-without-time")

    # 4. With the time she saves and gets the next contact: the one Jonas is not calling.
    callback_at = timezone.localtime() + datetime.timedelta(days=2)
    lena.locator("#id_callback_at").fill(callback_at.strftime("%Y-%m-%dT%H:%M"))
    with lena.expect_navigation():
        lena.get_by_role("button", name=_de("Save and next call")).click()
    third = lena.locator("#call-person").inner_text()
    assert third not in (lenas_contact, jonas_contact)
    callback = Activity.objects.get(kind=ActivityType.TASK, assigned_to__username="owner")
    assert callback.person.full_name == lenas_contact
    shot(lena, "call-lists-05-next-contact")

    # 5. Esc goes back to the list, which shows the progress.
    with lena.expect_navigation():
        lena.keyboard.press("Escape")
    assert lena.url.endswith(reverse("call_list_detail", args=[call_list.pk]))
    assert call_list.entries.filter(status=CallEntryStatus.DONE).count() == 1
    shot(lena, "call-lists-06-progress")
