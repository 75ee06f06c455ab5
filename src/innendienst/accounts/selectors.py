"""Who may see what: the territory scope of a user (ARCHITECTURE.md § Access)."""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Length, Substr

from innendienst.accounts.access import sees_everything
from innendienst.accounts.models import SYSTEM_USERNAME_PREFIX, ApiToken, Territory, User

_NOT_YET = object()


def visible_territory_ids(user: User) -> set[int] | None:
    """Ids of the territories whose companies ``user`` sees; ``None`` means all of them.

    A user sees the subtrees of the territories assigned to him and to his team: a field rep
    his region, an inside rep his team's regions, a manager assigned to a country everything
    in it. Who sees every territory sees every company, without a condition on them (which
    would otherwise cost a join on every list and search of a manager).
    """
    if sees_everything(user):
        return None
    if not user.is_active:
        return set()
    cached = getattr(user, "_visible_territory_ids", _NOT_YET)
    if cached is not _NOT_YET:
        return cached
    # Computed once per request: the user object lives exactly as long as the request.
    user._visible_territory_ids = _shared_scope(user)
    return user._visible_territory_ids


# Every page of every user needs his scope, and the query for it cost more (mostly planning)
# than many pages' own queries. It is kept in the shared cache under a version that any change
# of territories, teams or assignments replaces (``accounts.signals``).
SCOPE_VERSION_KEY = "accounts:scope-version"
SCOPE_CACHE_SECONDS = 60 * 60


def _shared_scope(user: User) -> set[int] | None:
    key = f"accounts:scope:{user.pk}"
    stored = cache.get_many([SCOPE_VERSION_KEY, key])
    version = stored.get(SCOPE_VERSION_KEY)
    if version is None:
        # A new token rather than a counter from zero: what was stored under a version that
        # the cache has since lost can never match again.
        cache.add(SCOPE_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(SCOPE_VERSION_KEY)
    elif key in stored and stored[key][0] == version:
        return stored[key][1]
    ids = _computed_scope(user)
    cache.set(key, (version, ids), SCOPE_CACHE_SECONDS)
    return ids


def forget_scopes() -> None:
    """After a change of territories, teams or who is assigned to them."""
    cache.set(SCOPE_VERSION_KEY, uuid.uuid4().hex, None)


def _computed_scope(user: User) -> set[int] | None:
    territories = list(
        Territory.objects.annotate(visible=Exists(_assigned_root_above(user))).values_list(
            "id", "visible"
        )
    )
    ids = {pk for pk, visible in territories if visible}
    return None if len(ids) == len(territories) else ids


def _assigned_root_above(user: User) -> QuerySet[Territory]:
    """Territories assigned to the user or his team at or above the outer territory."""
    assigned = Q(users=user) | Q(teams__members=user) if user.team_id else Q(users=user)
    return Territory.objects.filter(assigned).filter(
        path=Substr(OuterRef("path"), 1, Length("path"))
    )


def territories_for(user: User) -> QuerySet[Territory]:
    ids = visible_territory_ids(user)
    territories = Territory.objects.all()
    return territories if ids is None else territories.filter(id__in=ids)


def colleagues_for(user: User) -> QuerySet[User]:
    """The users ``user`` may pick as responsible rep: everybody active (names are not secret
    inside a sales organisation, and a lead may go to a rep in another team)."""
    return (
        User.objects.filter(is_active=True)
        .exclude(username__startswith=SYSTEM_USERNAME_PREFIX)
        .order_by("last_name", "first_name")
    )


def api_tokens_for(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def command_user(username: str | None) -> User | None:
    """Whose view of the data a command line works with: the active user named, else the
    first active administrator; None when there is none."""
    users = User.objects.filter(is_active=True)
    if username:
        return users.filter(username=username).first()
    return users.filter(is_superuser=True).order_by("pk").first()
