"""Who keeps the expert directory, who answers and who withdraws a request: one rule for the
services and the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from innendienst.accounts.access import PRODUCT_MAINTAINERS, is_manager
from innendienst.experts.models import ExpertRequest

# Product management knows who knows what about its product groups; the managers and the
# administrators keep the directory with it. Everybody reads it.
DIRECTORY_MAINTAINERS = PRODUCT_MAINTAINERS


def can_maintain_directory(user: Any) -> bool:
    return user.is_active and (user.is_superuser or user.role in DIRECTORY_MAINTAINERS)


def require_directory_maintainer(user: Any) -> None:
    if not can_maintain_directory(user):
        raise PermissionDenied(_("Your role may not change the expert directory."))


def can_answer(user: Any, expert_request: ExpertRequest) -> bool:
    """Only the expert asked answers, himself: nobody answers in his name."""
    return user.is_active and expert_request.expert.user_id == user.pk


def can_withdraw(user: Any, expert_request: ExpertRequest) -> bool:
    """The colleague who asked, or a manager (the asker is away, the offer is off)."""
    return (user.is_active and expert_request.asked_by_id == user.pk) or is_manager(user)
