"""Who may write the consent ledger."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from innendienst.accounts.access import MASTER_DATA_EDITORS
from innendienst.accounts.models import Role

# Marketing collects consent (at the booth, with the newsletter) and records it, although it
# does not maintain the customer base otherwise.
CONSENT_RECORDERS = frozenset({*MASTER_DATA_EDITORS, Role.MARKETING})


def can_record_consent(user: Any) -> bool:
    return user.is_active and (user.is_superuser or user.role in CONSENT_RECORDERS)


def require_consent_recorder(user: Any) -> None:
    if not can_record_consent(user):
        raise PermissionDenied(_("Your role may not record consent."))
