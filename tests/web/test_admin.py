"""/admin/: administrators maintain the sales organisation and reference data there."""

import pytest
from django.urls import reverse

from innendienst.accounts.services import api_token_create
from innendienst.contacts.models import Industry
from innendienst.leads.models import AssignmentRule, LeadCapacity, SlaRule, WorkingCalendar
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference_data(territories, owner, team_south):
    """One record of each model the admin lists, by the text its list must show."""
    api_token_create(actor=owner, name="ERP-Schnittstelle")
    factories.CustomerGroupFactory(code="A", name="A-Kunden")
    Industry.objects.create(code="28", name="Maschinenbau")
    factories.ProductFactory(
        sku="HZ-50", name="Hydraulikzylinder HZ-50", group__code="HY", group__name="Hydraulik"
    )
    AssignmentRule.objects.create(name="Messe Bayern", territory=territories["BY"], team=team_south)
    LeadCapacity.objects.create(user=owner, per_month=40)
    SlaRule.objects.create(stage="sql", hours=4)
    WorkingCalendar.objects.create(territory=territories["BY"], subdivision="BY")
    return {
        "leads/assignmentrule": "Messe Bayern",
        "leads/leadcapacity": "Hoffmann",
        "leads/slarule": "Sales Qualified Lead (SQL)",
        "leads/workingcalendar": "Bayern",
        "accounts/user": "Hoffmann",
        "accounts/team": team_south.name,
        "accounts/territory": "Bayern",
        "accounts/apitoken": "ERP-Schnittstelle",
        "contacts/customergroup": "A-Kunden",
        "contacts/industry": "Maschinenbau",
        "catalog/productgroup": "Hydraulik",
        "catalog/product": "Hydraulikzylinder HZ-50",
    }


@pytest.mark.parametrize(
    "model",
    [
        "accounts/user",
        "accounts/team",
        "accounts/territory",
        "accounts/apitoken",
        "contacts/customergroup",
        "contacts/industry",
        "catalog/productgroup",
        "catalog/product",
        "leads/assignmentrule",
        "leads/leadcapacity",
        "leads/slarule",
        "leads/workingcalendar",
    ],
)
def test_it_lists_the_reference_data(client, admin_user, reference_data, model):
    client.force_login(admin_user)
    response = client.get(f"/admin/{model}/")
    assert response.status_code == 200
    assert reference_data[model] in response.content.decode()


def test_it_moves_the_subtree_with_a_territory_moved_in_the_admin(client, admin_user, territories):
    austria = factories.TerritoryFactory(code="AT", name="Österreich", country="AT")
    munich = factories.TerritoryFactory(code="DE-BY-M", name="München", parent=territories["BY"])
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_territory_change", args=[territories["BY"].pk]),
        {"code": "DE-BY", "name": "Bayern", "parent": austria.pk, "country": "DE"},
    )
    assert response.status_code == 302
    munich.refresh_from_db()
    assert munich.path == "/AT/DE-BY/DE-BY-M/"


def test_it_offers_no_way_to_add_a_token_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403


def test_it_keeps_reps_out_of_the_admin(client, owner):
    client.force_login(owner)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"
