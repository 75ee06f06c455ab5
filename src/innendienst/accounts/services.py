"""Writes for users, territories and API tokens."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from innendienst.accounts.models import ApiToken, Territory, User
from innendienst.core import audit

API_TOKEN_PREFIX = "idt_"


@transaction.atomic
def territory_save(*, actor: User | None, territory: Territory) -> Territory:
    """Create or move a territory; the paths of its whole subtree follow."""
    creating = territory.pk is None
    before = None if creating else audit.snapshot(Territory.objects.get(pk=territory.pk))
    old_path = None if creating else Territory.objects.get(pk=territory.pk).path
    territory.path = territory.compute_path()
    territory.full_clean()
    territory.save()
    if old_path and old_path != territory.path:
        for child in Territory.objects.filter(path__startswith=old_path).exclude(pk=territory.pk):
            child.path = territory.path + child.path[len(old_path) :]
            child.save(update_fields=["path"])
    if creating:
        audit.record_create(actor=actor, instance=territory)
    else:
        audit.record_update(actor=actor, instance=territory, before=before)
    return territory


@transaction.atomic
def api_token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``actor``; returns the token and the key, which is never stored."""
    key = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=actor, name=name.strip(), prefix=key[:12], key_hash=ApiToken.hash_key(key)
    )
    token.full_clean()
    token.save()
    audit.record_create(actor=actor, instance=token)
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    before = audit.snapshot(token)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record_update(actor=actor, instance=token, before=before)
    return token


def api_token_authenticate(key: str) -> User | None:
    """The active user behind ``key``, or None. Touches ``last_used_at`` at most once a minute."""
    if not key.startswith(API_TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
