"""The offer as a document: what the customer reads, in the offer's language, as plain values
— kept frozen with each sent version and rendered as the PDF."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from innendienst.catalog.models import UNIT_ABBREVIATIONS
from innendienst.contacts.models import Person, Salutation
from innendienst.core.models import Country
from innendienst.offers.letterhead import letterhead_values
from innendienst.offers.models import Offer
from innendienst.offers.selectors import PricedOffer

TOTALS = (
    "lines_net",
    "discount_percent",
    "discount",
    "freight",
    "extra_costs",
    "net",
    "vat_rate",
    "vat",
    "rounding",
    "total",
)


def _addressee(person: Person | None) -> str:
    if person is None:
        return ""
    name = " ".join(part for part in (person.title, person.first_name, person.last_name) if part)
    if person.salutation == Salutation.MR:
        return _("Mr %(name)s") % {"name": name}
    if person.salutation == Salutation.MS:
        return _("Ms %(name)s") % {"name": name}
    return name


def _salutation(person: Person | None) -> str:
    if person is not None and person.salutation == Salutation.MR:
        return _("Dear Mr %(name)s,") % {"name": person.last_name}
    if person is not None and person.salutation == Salutation.MS:
        return _("Dear Ms %(name)s,") % {"name": person.last_name}
    return _("Dear Sir or Madam,")


def recipient_lines(offer: Offer, home_country: str) -> list[str]:
    """The address block as DIN 5008 writes it: company, addressee, street, postcode and city,
    the country in capitals when it is abroad — seen from our letterhead's country."""
    company = offer.company
    lines = [company.name, _addressee(offer.contact), company.street]
    lines.append(f"{company.postcode} {company.city}".strip())
    if company.country != home_country:
        lines.append(str(Country(company.country).label).upper())
    return [line for line in lines if line]


def document_of(
    offer: Offer, priced: PricedOffer, day: datetime.date, home_country: str | None = None
) -> dict[str, Any]:
    """Amounts as text, so the JSON keeps every cent; labels in the offer's language."""
    home_country = home_country or letterhead_values()["country"]
    owner = offer.owner
    with translation.override(offer.language):
        return {
            "number": offer.number,
            "revision": offer.revision,
            "date": day.isoformat(),
            "language": offer.language,
            "currency": offer.currency,
            "subject": offer.subject,
            "recipient": recipient_lines(offer, home_country),
            "recipient_country": offer.company.country,
            "salutation": _salutation(offer.contact),
            "customer_number": offer.company.customer_number or "",
            "contact": str(offer.contact) if offer.contact else "",
            "sender": {
                "name": owner.get_full_name() or owner.username,
                "phone": owner.phone,
                "email": owner.email,
            },
            "price_list": str(offer.price_list) if offer.price_list else "",
            "valid_until": offer.valid_until.isoformat(),
            "terms": offer.terms,
            "deviations": offer.deviations,
            "extra_costs_label": offer.extra_costs_label,
            "lines": [
                {
                    "position": row.line.position,
                    "sku": row.line.product.sku if row.line.product else "",
                    "description": row.line.description,
                    "note": row.line.note,
                    "quantity": str(row.line.quantity),
                    "unit": row.line.unit,
                    "unit_label": str(UNIT_ABBREVIATIONS[row.line.unit]),
                    "unit_price": str(row.line.unit_price),
                    "discount_percent": str(row.line.discount_percent),
                    "net": str(row.amounts.net),
                }
                for row in priced.lines
            ],
            "totals": {name: str(getattr(priced.totals, name)) for name in TOTALS},
        }
