"""Who writes offers and who approves discounts: one rule for the services and the pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from innendienst.accounts.models import Role
from innendienst.catalog.models import DiscountLimit

# Offers are written by the sales roles; marketing and product management read them (loss
# analysis, expected quantities).
OFFER_WRITERS = frozenset(
    {Role.INSIDE_SALES, Role.FIELD_SALES, Role.KEY_ACCOUNT, Role.SALES_MANAGER, Role.ADMIN}
)


def can_write_offers(user: Any) -> bool:
    return user.is_active and (user.is_superuser or user.role in OFFER_WRITERS)


def require_offer_writer(user: Any) -> None:
    if not can_write_offers(user):
        raise PermissionDenied(_("Your role may not write offers."))


def discount_limit_of(user: Any) -> Decimal:
    """The highest discount ``user`` may give or approve; without a limit for his role, none."""
    if user.is_superuser:
        return Decimal(100)
    limit = DiscountLimit.objects.filter(role=user.role).values_list("max_percent", flat=True)
    return next(iter(limit), Decimal(0))


def require_approver(user: Any) -> None:
    if not discount_limit_of(user):
        raise PermissionDenied(_("Your role may not approve discounts."))
