"""/companies/<id>/addresses/new/ and …/<address_id>/delete/: further addresses of a company."""

import pytest
from django.urls import reverse

from innendienst.core.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db

DELIVERY = {"kind": "delivery", "street": "Lagerweg 1", "city": "Garching", "country": "DE"}


def test_it_checks_the_postcode_of_a_new_address_and_records_it(client, owner, company):
    client.force_login(owner)
    url = reverse("address_create", args=[company.pk])
    response = client.post(url, {**DELIVERY, "postcode": "857"})
    assert "postcode" in response.context["form"].errors
    assert not company.addresses.exists()
    response = client.post(url, {**DELIVERY, "postcode": "85748"})
    assert response["Location"] == reverse("company_detail", args=[company.pk])
    assert company.addresses.get().city == "Garching"
    assert AuditEntry.objects.filter(field="address", new_value__contains="Lagerweg 1").exists()


def test_it_records_a_removed_address(client, owner, company):
    address = company.addresses.create(**DELIVERY, postcode="85748")
    client.force_login(owner)
    response = client.post(reverse("address_delete", args=[company.pk, address.pk]))
    assert response["Location"] == reverse("company_detail", args=[company.pk])
    assert not company.addresses.exists()
    entry = AuditEntry.objects.get(field="address")
    assert "Lagerweg 1" in entry.old_value
    assert entry.new_value == ""


def test_it_answers_404_for_the_address_of_another_company(client, owner, company, territories):
    other = factories.CompanyFactory(territory=territories["BY"])
    address = other.addresses.create(**DELIVERY, postcode="85748")
    client.force_login(owner)
    response = client.post(reverse("address_delete", args=[company.pk, address.pk]))
    assert response.status_code == 404
    assert other.addresses.count() == 1
