"""Our own letterhead on the offer documents: kept as a site setting, edited by management."""

from __future__ import annotations

from innendienst.core.models import SiteSetting
from innendienst.offers.pdf import Letterhead

LETTERHEAD_KEY = "offers.letterhead"
FIELDS = (
    "company_name",
    "street",
    "postcode",
    "city",
    "country",
    "phone",
    "email",
    "website",
    "vat_id",
    "register",
    "managing_directors",
    "bank",
)


def letterhead_values() -> dict[str, str]:
    stored = SiteSetting.objects.filter(key=LETTERHEAD_KEY).values_list("value", flat=True).first()
    values = dict.fromkeys(FIELDS, "")
    values["country"] = "DE"
    values.update({name: str(value) for name, value in (stored or {}).items() if name in FIELDS})
    return values


def letterhead() -> Letterhead:
    return Letterhead(**letterhead_values())
