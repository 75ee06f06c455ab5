"""Who sees which territory changes: the cached scopes of every user are forgotten.

Replaced at once, for the rest of the writing transaction, and again after its commit, so that
no request that read the old assignments before the commit keeps them under the new version.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from innendienst.accounts.selectors import forget_scopes

# Saves that never change what a user sees.
_HARMLESS_USER_FIELDS = frozenset({"last_login", "password"})


def scope_changed(**kwargs: Any) -> None:
    forget_scopes()
    transaction.on_commit(forget_scopes)


def user_saved(update_fields: frozenset[str] | None = None, **kwargs: Any) -> None:
    if update_fields is not None and set(update_fields) <= _HARMLESS_USER_FIELDS:
        return
    scope_changed()
