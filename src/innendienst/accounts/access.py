"""What a role may do: one function per permission, used by services and templates alike."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from innendienst.accounts.models import Role

# Marketing and product management read the customer base; they do not maintain it.
MASTER_DATA_EDITORS = frozenset(
    {
        Role.INSIDE_SALES,
        Role.FIELD_SALES,
        Role.KEY_ACCOUNT,
        Role.SALES_MANAGER,
        Role.ADMIN,
    }
)
MANAGERS = frozenset({Role.SALES_MANAGER, Role.ADMIN})
# Product management keeps the catalogue and its prices.
PRODUCT_MAINTAINERS = frozenset({Role.PRODUCT_MANAGEMENT, Role.SALES_MANAGER, Role.ADMIN})


def sees_everything(user: Any) -> bool:
    return user.is_active and (user.is_superuser or user.role == Role.ADMIN)


def is_manager(user: Any) -> bool:
    """Sales management and administrators: who sets limits, letterheads and models."""
    return user.is_active and (user.is_superuser or user.role in MANAGERS)


def can_edit_master_data(user: Any) -> bool:
    return user.is_active and (user.is_superuser or user.role in MASTER_DATA_EDITORS)


def require_master_data_editor(user: Any) -> None:
    if not can_edit_master_data(user):
        raise PermissionDenied(_("Your role may not change master data."))


def can_maintain_products(user: Any) -> bool:
    return user.is_active and (user.is_superuser or user.role in PRODUCT_MAINTAINERS)


def require_product_maintainer(user: Any) -> None:
    if not can_maintain_products(user):
        raise PermissionDenied(_("Your role may not change the product catalogue."))


def is_marketing(user: Any) -> bool:
    """Marketing sees people only where their consent allows it."""
    return user.role == Role.MARKETING and not user.is_superuser
