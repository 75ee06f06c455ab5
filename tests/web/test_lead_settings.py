"""The lead settings outside the admin site: reaction times per stage and source, and each
rep's capacity and absence — kept by the sales manager, read by everyone who works leads."""

from __future__ import annotations

import pytest
from django.urls import reverse

from innendienst.accounts.models import Role
from innendienst.core.models import AuditEntry
from innendienst.leads.configuration import cell_name
from innendienst.leads.models import LeadCapacity, SlaRule
from innendienst.leads.services import sla_hours
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(territories):
    return factories.UserFactory(
        username="manager", role=Role.SALES_MANAGER, territories=[territories["DE"]]
    )


def test_it_lets_the_manager_set_a_reaction_time_for_one_source(client, manager):
    client.force_login(manager)
    assert client.get(reverse("lead_sla_rules")).status_code == 200
    response = client.post(
        reverse("lead_sla_rules"),
        {cell_name("sql", ""): "6", cell_name("ql", "trade_fair"): "24"},
    )
    assert response.status_code == 302
    assert sla_hours("sql", "web_form") == 6
    assert sla_hours("ql", "trade_fair") == 24
    assert AuditEntry.objects.filter(content_type__model="slarule").count() == 2
    # Emptied again: the rule goes, the default applies.
    client.post(reverse("lead_sla_rules"), {cell_name("sql", ""): "6"})
    assert not SlaRule.objects.filter(source="trade_fair").exists()


@pytest.mark.parametrize("typed", ["0", "acht", "99999", "-3"])
def test_it_names_a_bad_reaction_time_at_its_cell(client, manager, typed):
    client.force_login(manager)
    response = client.post(reverse("lead_sla_rules"), {cell_name("mql", "web_form"): typed})
    assert response.status_code == 422
    page = response.content.decode()
    assert f'id="id_{cell_name("mql", "web_form")}_error"' in page
    assert f'value="{typed}"' in page
    assert not SlaRule.objects.exists()


def test_it_shows_the_reps_the_reaction_times_but_lets_them_change_nothing(client, owner):
    client.force_login(owner)
    page = client.get(reverse("lead_sla_rules")).content.decode()
    assert '<input class="hours"' not in page
    assert client.post(reverse("lead_sla_rules"), {cell_name("sql", ""): "1"}).status_code == 403
    assert not SlaRule.objects.exists()


def test_it_sets_capacities_and_absences(client, manager, owner, teammate):
    client.force_login(manager)
    response = client.post(reverse("lead_capacities"), {
        f"per_month-{owner.pk}": "40",
        f"away_from-{owner.pk}": "2026-12-21", f"away_until-{owner.pk}": "2027-01-06",
        f"per_month-{teammate.pk}": "",
    })  # fmt: skip
    assert response.status_code == 302
    capacity = LeadCapacity.objects.get(user=owner)
    assert (capacity.per_month, str(capacity.away_from), str(capacity.away_until)) == (
        40, "2026-12-21", "2027-01-06",
    )  # fmt: skip
    assert not LeadCapacity.objects.filter(user=teammate).exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"per_month": "viele"}, "per_month"),
        ({"per_month": "10", "away_from": "2027-01-10", "away_until": "2027-01-01"}, "away_until"),
        ({"per_month": "10", "away_from": "31.12.2026"}, "away_from"),
        ({"away_from": "2027-01-10"}, "per_month"),
    ],
)
def test_it_names_a_bad_capacity_at_its_field(client, manager, owner, values, field):
    client.force_login(manager)
    data = {f"{name}-{owner.pk}": value for name, value in values.items()}
    response = client.post(reverse("lead_capacities"), data)
    assert response.status_code == 422
    assert f'id="id_{field}-{owner.pk}_error"' in response.content.decode()
    assert not LeadCapacity.objects.exists()


def test_it_keeps_capacities_from_the_reps(client, owner):
    client.force_login(owner)
    assert client.get(reverse("lead_capacities")).status_code == 200
    response = client.post(reverse("lead_capacities"), {f"per_month-{owner.pk}": "999"})
    assert response.status_code == 403
    assert not LeadCapacity.objects.exists()


def test_it_shows_a_large_number_without_a_thousands_separator(client, manager, owner):
    SlaRule.objects.create(stage="sql", source="", hours=1500)
    LeadCapacity.objects.create(user=owner, per_month=2500)
    client.force_login(manager)
    assert 'value="1500"' in client.get(reverse("lead_sla_rules")).content.decode()
    assert 'value="2500"' in client.get(reverse("lead_capacities")).content.decode()
