"""Priority, success probability and acute need: rated by the inside rep, audited, shown on
the 360° page and sorted for the field rep in the company list."""

import pytest
from django.urls import reverse

from innendienst.contacts import services
from innendienst.core.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_inside_rep_rates_a_prospect_and_the_history_says_so(owner, company):
    services.company_update(
        actor=owner,
        company=company,
        data={"priority": "a", "success_probability": 70, "acute_need": "Pumpen bis März"},
    )
    company.refresh_from_db()
    assert (company.priority, company.success_probability) == ("a", 70)
    changed = set(
        AuditEntry.objects.filter(object_id=company.pk, action="update").values_list(
            "field", flat=True
        )
    )
    assert {"priority", "success_probability", "acute_need"} <= changed


def test_a_probability_above_100_is_an_error_at_the_field(client, owner, company):
    client.force_login(owner)
    data = {
        "name": company.name, "status": company.status, "country": "DE", "currency": "EUR",
        "territory": company.territory_id, "success_probability": "120",
    }  # fmt: skip
    response = client.post(reverse("company_edit", args=[company.pk]), data)
    assert response.status_code == 200
    assert "success_probability" in response.context["form"].errors


def test_the_360_page_shows_priority_and_acute_need(client, owner, company):
    services.company_update(
        actor=owner, company=company, data={"priority": "a", "acute_need": "schnell handeln"}
    )
    client.force_login(owner)
    html = client.get(reverse("company_detail", args=[company.pk])).content.decode()
    assert "A – hoch" in html
    assert "schnell handeln" in html


def test_the_field_rep_sees_his_territory_by_priority_unrated_last(client, owner, territories):
    names = {"b": "Bauer Hydraulik", None: "Zeller Logistik", "a": "Wagner Pumpen"}
    for priority, name in names.items():
        factories.CompanyFactory(name=name, territory=territories["BY"], priority=priority)
    client.force_login(owner)
    page = client.get(reverse("company_list"), {"sort": "priority"}).context["page"]
    assert [c.name for c in page.object_list] == [
        "Wagner Pumpen", "Bauer Hydraulik", "Zeller Logistik",
    ]  # fmt: skip
    acute = factories.CompanyFactory(
        name="Eilig GmbH", territory=territories["BY"], acute_need="Ersatzteile sofort"
    )
    listed = client.get(reverse("company_list"), {"acute": "yes"}).context["page"].object_list
    assert list(listed) == [acute]
