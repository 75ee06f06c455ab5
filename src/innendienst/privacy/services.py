"""Writes to the consent ledger."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innendienst.accounts.models import User
from innendienst.contacts.models import Person
from innendienst.contacts.services import require_visible_person
from innendienst.core import audit, events
from innendienst.core.inputs import apply_changes
from innendienst.privacy.access import require_consent_recorder
from innendienst.privacy.models import Consent

CONSENT_FIELDS = ("channel", "status", "recorded_on", "source", "legal_basis", "note")


@transaction.atomic
def consent_record(*, actor: User, person: Person, data: Mapping[str, Any]) -> Consent:
    """Append an entry to the consent ledger; the newest entry per channel counts."""
    require_consent_recorder(actor)
    require_visible_person(actor, person)
    consent = Consent(person=person, recorded_by=actor)
    apply_changes(consent, data, CONSENT_FIELDS)
    # The newest entry decides; a date in the future would outrank every real withdrawal.
    if consent.recorded_on and consent.recorded_on > timezone.localdate():
        raise ValidationError({"recorded_on": _("The date lies in the future.")})
    consent.full_clean()
    consent.save()
    audit.record_note(
        actor=actor,
        instance=person,
        field="consent",
        new_value=(
            f"{consent.get_channel_display()}: {consent.get_status_display()} ({consent.source})"
        ),
    )
    events.emit(
        "consent.recorded",
        actor=actor,
        instance=consent,
        person_id=person.pk,
        channel=consent.channel,
        status=consent.status,
    )
    return consent
