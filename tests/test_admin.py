"""The admin site maintains the sales organisation and reference data."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


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
    ],
)
def test_it_lists_the_reference_data(client, admin_user, territories, model):
    factories.ProductFactory()
    client.force_login(admin_user)
    assert client.get(f"/admin/{model}/").status_code == 200


def test_moving_a_territory_in_the_admin_moves_its_subtree(client, admin_user, territories):
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


def test_it_keeps_reps_out_of_the_admin(client, owner):
    client.force_login(owner)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
