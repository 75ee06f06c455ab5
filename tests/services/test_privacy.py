"""privacy.services: the consent ledger, append-only."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from innendienst.privacy import selectors, services
from innendienst.privacy.models import Consent

pytestmark = pytest.mark.django_db


def test_it_keeps_the_consent_ledger_append_only(owner, person):
    services.consent_record(
        actor=owner,
        person=person,
        data={"channel": "email", "status": "granted", "source": "Messe", "legal_basis": "consent"},
    )
    services.consent_record(
        actor=owner,
        person=person,
        data={
            "channel": "email",
            "status": "withdrawn",
            "source": "Anruf",
            "legal_basis": "consent",
        },
    )
    assert Consent.objects.filter(person=person).count() == 2
    current = selectors.current_consents(selectors.consents_of(person))
    assert current["email"].status == "withdrawn"


def test_it_refuses_a_consent_dated_in_the_future(owner, person):
    with pytest.raises(ValidationError) as error:
        services.consent_record(
            actor=owner,
            person=person,
            data={
                "channel": "email",
                "status": "granted",
                "source": "Formular",
                "legal_basis": "consent",
                "recorded_on": timezone.localdate() + datetime.timedelta(days=1),
            },
        )
    assert "recorded_on" in error.value.message_dict
    assert not Consent.objects.exists()
