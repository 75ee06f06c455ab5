"""/people/<id>/consent/: an entry in the person's consent ledger."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

CONSENT = {"channel": "email", "status": "granted", "source": "Messe", "legal_basis": "consent"}


def test_it_refuses_a_consent_dated_in_the_future_at_the_field(client, owner, person):
    client.force_login(owner)
    url = reverse("person_consent", args=[person.pk])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(url, {**CONSENT, "recorded_on": tomorrow.isoformat()})
    assert list(response.context["form"].errors) == ["recorded_on"]
    assert 'value="Messe"' in response.content.decode()
    assert not person.consents.exists()
    response = client.post(url, {**CONSENT, "recorded_on": timezone.localdate().isoformat()})
    assert response["Location"] == reverse("person_detail", args=[person.pk])
    assert person.consents.get().status == "granted"


def test_it_shows_the_ledger_so_far_with_the_form(client, owner, person):
    client.force_login(owner)
    client.post(
        reverse("person_consent", args=[person.pk]),
        {**CONSENT, "recorded_on": timezone.localdate().isoformat()},
    )
    response = client.get(reverse("person_consent", args=[person.pk]))
    assert [consent.source for consent in response.context["consents"]] == ["Messe"]
