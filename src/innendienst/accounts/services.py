"""Writes for users, territories and API tokens."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from innendienst.accounts.models import ApiToken, Territory, User
from innendienst.core import audit

API_TOKEN_PREFIX = "idt_"


@transaction.atomic
def territory_save(*, actor: User | None, territory: Territory) -> Territory:
    """Create or move a territory; the paths of its whole subtree follow in one statement,
    and the move is audited on the territory with the number of territories it carried."""
    creating = territory.pk is None
    stored = None if creating else Territory.objects.select_for_update().get(pk=territory.pk)
    territory.path = territory.compute_path()
    if stored is not None and territory.parent_id and territory.parent.path.startswith(stored.path):
        raise ValidationError({"parent": _("A territory cannot lie below itself.")})
    territory.full_clean()
    territory.save()
    if creating:
        audit.record_create(actor=actor, instance=territory)
        return territory
    audit.record_update(actor=actor, instance=territory, before=audit.snapshot(stored))
    if stored.path != territory.path:
        moved = (
            Territory.objects.filter(path__startswith=stored.path)
            .exclude(pk=territory.pk)
            .update(path=Concat(Value(territory.path), Substr("path", len(stored.path) + 1)))
        )
        audit.record_note(
            actor=actor,
            instance=territory,
            field="subtree",
            old_value=stored.path,
            new_value=_("%(path)s, with %(count)d territories below it")
            % {"path": territory.path, "count": moved},
        )
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
