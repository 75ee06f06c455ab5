"""What a new user met on the pages, each fixed and kept fixed."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from innendienst.accounts.models import Role
from innendienst.activities.models import ActivityType
from tests import factories

pytestmark = pytest.mark.django_db


def _de(message: str) -> str:
    with translation.override("de"):
        return translation.gettext(message)


def test_the_settings_page_shows_the_token_placeholder_as_text(client, owner):
    client.force_login(owner)
    page = client.get(reverse("settings")).content.decode()
    assert "<code>Authorization: Bearer &lt;token&gt;</code>" in page


@pytest.fixture
def marketer(territories):
    return factories.UserFactory(role=Role.MARKETING, territories=[territories["DE"]])


def test_marketing_is_offered_only_what_it_may_do_with_activities(client, marketer, owner, company):
    others = factories.ActivityFactory(
        company=company, kind=ActivityType.TASK, outcome="", occurred_at=None,
        due_at=timezone.now() - datetime.timedelta(days=1), done=False,
        assigned_to=owner, created_by=owner, subject="Rückruf Einkauf",
    )  # fmt: skip
    own = factories.ActivityFactory(
        company=company, kind=ActivityType.TASK, outcome="", occurred_at=None,
        due_at=timezone.now() - datetime.timedelta(days=1), done=False,
        assigned_to=marketer, created_by=marketer, subject="Messeeinladung",
    )  # fmt: skip
    client.force_login(marketer)
    page = client.get(reverse("company_detail", args=[company.pk])).content.decode()
    assert reverse("activity_edit", args=[others.pk]) not in page
    assert reverse("activity_complete", args=[others.pk]) not in page
    assert reverse("activity_edit", args=[own.pk]) in page
    assert reverse("activity_complete", args=[own.pk]) in page
    assert client.get(reverse("activity_edit", args=[others.pk])).status_code == 403

    client.force_login(owner)
    page = client.get(reverse("company_detail", args=[company.pk])).content.decode()
    assert reverse("activity_edit", args=[own.pk]) in page  # reps maintain every activity


def test_marketing_is_told_a_decider_exists_without_consent(client, marketer, owner, company):
    decider = factories.PersonFactory(company=company, last_name="Entscheidend")
    factories.BuyingCenterMembershipFactory(person=decider, role="decider")
    client.force_login(marketer)
    page = client.get(reverse("company_detail", args=[company.pk])).content.decode()
    assert _de("No decider known.") not in page
    assert _de("Decider without consent.") in page
    assert "Entscheidend" not in page

    client.force_login(owner)
    page = client.get(reverse("company_detail", args=[company.pk])).content.decode()
    assert _de("Decider without consent.") not in page
    assert "Entscheidend" in page


def test_money_and_numbers_in_the_form_are_german_and_read_back(client, owner, company):
    company.annual_revenue = Decimal("34500000.00")
    company.employees = 1250
    company.save()
    client.force_login(owner)
    url = reverse("company_edit", args=[company.pk])
    response = client.get(url)
    page = response.content.decode()
    assert 'value="34.500.000,00"' in page
    assert 'value="1.250"' in page

    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(annual_revenue="36.000.000,50", employees="1.300", seen=form.seen_token)
    assert client.post(url, data).status_code == 302
    company.refresh_from_db()
    assert (company.annual_revenue, company.employees) == (Decimal("36000000.50"), 1300)


def test_the_manager_starts_with_his_teams_follow_ups_and_the_months_revenue(
    client, territories, owner, teammate, company
):
    manager = factories.UserFactory(
        role=Role.SALES_MANAGER, territories=[territories["DE"]], first_name="Stefan"
    )
    today = timezone.localdate()
    for user, days in ((owner, -3), (owner, -1), (teammate, 2)):
        factories.ActivityFactory(
            company=company, kind=ActivityType.TASK, outcome="", occurred_at=None,
            due_at=timezone.now() + datetime.timedelta(days=days), done=False,
            assigned_to=user, subject=f"Wiedervorlage {days}",
        )  # fmt: skip
    line = factories.OrderLineFactory(order__company=company, order__ordered_on=today)
    client.force_login(manager)
    page = client.get(reverse("my_day")).content.decode()
    team = page[page.index('id="h-team"') :]
    assert "Lena Hoffmann" in team
    assert "Jonas Keller" in team
    assert "Wiedervorlage -3" in team  # the longest-overdue follow-up
    sections = response_context_names(client)
    assert sections == ["my_tasks", "team_follow_ups", "team_calls", "revenue"]
    # The revenue of the month is added after the page has loaded.
    section_url = reverse("my_day_section", args=["revenue"])
    assert f'hx-get="{section_url}"' in page
    revenue = client.get(section_url).content.decode()
    assert 'id="h-revenue"' in revenue
    assert "180,00" in revenue  # 2 × 100 € − 10 %
    assert line.order.currency == "EUR"

    client.force_login(owner)
    assert response_context_names(client) == ["my_tasks"]
    assert client.get(section_url).status_code == 404


def response_context_names(client) -> list[str]:
    return [shown.item.name for shown in client.get(reverse("my_day")).context["sections"]]


def test_the_global_search_finds_orders_by_the_start_of_their_number(
    client, owner, outsider, company
):
    order = factories.OrderFactory(company=company, number="AU26-0004711")
    factories.OrderFactory(company=company, number="AU26-0005000")
    client.force_login(owner)
    page = client.get(reverse("search"), {"q": "au26-00047"}).content.decode()
    assert "AU26-0004711" in page
    assert "AU26-0005000" not in page
    assert reverse("company_detail", args=[order.company_id]) in page
    # A name is not an order number: no order group for "mueller".
    assert _de("Orders") not in client.get(reverse("search"), {"q": "mueller"}).content.decode()
    client.force_login(outsider)
    assert "AU26-0004711" not in client.get(reverse("search"), {"q": "AU26-0004"}).content.decode()
