"""Every row that points at a company or a person, and what becomes of it.

Merging two companies or two people must carry every related row of every app over to the
record that stays; erasing a person must anonymise or remove what identifies him without
breaking the statistics. Apps that do not exist yet will add such rows, so the references are
discovered from the models (``_meta``), and each app declares, for its own foreign keys, how
its rows are relinked on a merge and treated on an erasure. ``undeclared()`` names every
reference nobody declared; a test keeps that list empty.

The rules run inside the caller's transaction (the merge or erasure service, which also
writes the audit entries).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils.translation import gettext

from innendienst.core.models import AuditEntry

# What to do with the rows that point at the record that goes away (or is erased).
Rule = Callable[[QuerySet, str, models.Model | None], int]


def _versioned(rows: QuerySet) -> dict[str, Any]:
    """A row that changes moves its version on, so an API client's If-Match notices."""
    if any(field.name == "version" for field in rows.model._meta.concrete_fields):
        return {"version": F("version") + 1}
    return {}


def relink(rows: QuerySet, field: str, target: models.Model | None) -> int:
    """Point the rows at the surviving record."""
    return rows.update(**{field: target}, **_versioned(rows))


def relink_unique(*together: str) -> Rule:
    """Relink, but drop the rows the survivor already has: for a unique constraint on the
    reference and ``together`` (a buying-center role held at both companies is kept once)."""

    def rule(rows: QuerySet, field: str, target: models.Model | None) -> int:
        twin = rows.model._base_manager.filter(
            **{field: target}, **{name: OuterRef(name) for name in together}
        )
        rows.filter(Exists(twin)).delete()
        return rows.update(**{field: target}, **_versioned(rows))

    rule.__name__ = f"relink_unique({', '.join(together)})"
    return rule


def delete(rows: QuerySet, field: str, target: models.Model | None) -> int:
    deleted, _by_model = rows.delete()
    return deleted


def keep(rows: QuerySet, field: str, target: models.Model | None) -> int:
    """Leave the rows as they are (e.g. a consent ledger kept as evidence)."""
    return 0


def set_null(rows: QuerySet, field: str, target: models.Model | None) -> int:
    """Cut the link but keep the row, so counts and sums stay right."""
    return rows.update(**{field: None}, **_versioned(rows))


@dataclass(frozen=True)
class Reference:
    model: type[models.Model]
    field: str
    on_merge: Rule
    on_erase: Rule | None
    # Rows computed from the record they point at (a score): they go with it and are no use
    # of it, so an import's undo may remove a record that has them.
    derived: bool = False

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field}"


_declared: dict[str, dict[str, Reference]] = {}


def _key(model: type[models.Model]) -> str:
    return model._meta.label_lower


def declare(
    target: type[models.Model],
    model: type[models.Model],
    field: str,
    *,
    on_merge: Rule,
    on_erase: Rule | None = None,
    derived: bool = False,
) -> None:
    """Declare how ``model.field`` (a reference to ``target``) is treated."""
    relation = model._meta.get_field(field)
    if not relation.is_relation or relation.related_model is not target:
        raise ImproperlyConfigured(f"{model._meta.label}.{field} does not point at {target}.")
    if on_merge is relink and _is_unique(model, field):
        raise ImproperlyConfigured(
            f"{model._meta.label}.{field} is unique (alone or with other fields): relinking "
            "could break it; declare relink_unique(…) or another rule."
        )
    store = _declared.setdefault(_key(target), {})
    reference = Reference(model, field, on_merge, on_erase, derived)
    if reference.label in store:
        raise ImproperlyConfigured(f"{reference.label} is declared twice.")
    store[reference.label] = reference


def _is_unique(model: type[models.Model], field: str) -> bool:
    if model._meta.get_field(field).unique:
        return True
    together = [set(names) for names in model._meta.unique_together]
    together += [
        set(constraint.fields)
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields
    ]
    return any(field in names for names in together)


def discovered(target: type[models.Model]) -> list[tuple[type[models.Model], str]]:
    """Every concrete foreign key or one-to-one field, of any installed model, that points at
    ``target`` — hidden reverse relations (related_name="+") and the foreign keys of
    many-to-many tables included."""
    found = set()
    for relation in target._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete and relation.is_relation):
            continue
        if relation.many_to_many:
            found.add((relation.through, relation.field.m2m_reverse_field_name()))
        else:
            found.add((relation.related_model, relation.field.name))
    return sorted(found, key=lambda pair: (pair[0]._meta.label, pair[1]))


def declared(target: type[models.Model]) -> list[Reference]:
    return list(_declared.get(_key(target), {}).values())


def uses(target: type[models.Model]) -> list[tuple[type[models.Model], str]]:
    """The references to ``target`` that are a use of it: every one but the derived."""
    derived = {reference.label for reference in declared(target) if reference.derived}
    return [
        (model, field)
        for model, field in discovered(target)
        if f"{model._meta.label}.{field}" not in derived
    ]


def undeclared(target: type[models.Model]) -> list[str]:
    labels = {reference.label for reference in declared(target)}
    return [
        f"{model._meta.label}.{field}"
        for model, field in discovered(target)
        if f"{model._meta.label}.{field}" not in labels
    ]


def _apply(
    target_model: type[models.Model],
    source: models.Model,
    target: models.Model | None,
    pick: Callable[[Reference], Rule | None],
    action: str,
) -> dict[str, int]:
    missing = undeclared(target_model)
    if missing:
        raise ImproperlyConfigured(
            f"Cannot {action} {source!r}: undeclared references {', '.join(missing)}."
        )
    counts = {}
    for reference in declared(target_model):
        rule = pick(reference)
        if rule is None:
            raise ImproperlyConfigured(f"{reference.label} declares no rule to {action}.")
        rows = reference.model._base_manager.filter(**{reference.field: source})
        counts[reference.label] = rule(rows, reference.field, target)
    counts["core.AuditEntry"] = _history(source, target)
    return counts


def _history(source: models.Model, target: models.Model | None) -> int:
    """The change history points at records by type and id, not by a foreign key: on a merge
    it goes along to the record that stays; on an erasure the values in it that could name the
    person are blanked, while who changed what and when stays."""
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(source, for_concrete_model=False),
        object_id=source.pk,
    )
    if target is not None:
        return entries.update(object_id=target.pk)
    return entries.update(object_repr=gettext("(erased)"), old_value="", new_value="")


def erase_all(source: models.Model) -> dict[str, int]:
    """Apply the erasure rules to everything that points at ``source``."""
    return _apply(type(source), source, None, lambda ref: ref.on_erase, "erase")


# Rules that never delete a row: for them the ids of the rows are enough to move them back.
_KEEPING_RULES = (relink, set_null, keep)


def relink_all(source: models.Model, target: models.Model) -> dict[str, Any]:
    """Carry everything that points at ``source`` over to ``target`` (same model), noting
    exactly what was done so that ``relink_back`` can undo it:
    {"rows": {reference label: ids moved}, "removed": {model label: the rows dropped as
    twins, whole}, "history": ids of the history entries carried over}."""
    if type(source) is not type(target) or source.pk == target.pk:
        raise ValueError("A merge needs two different records of one model.")
    missing = undeclared(type(source))
    if missing:
        raise ImproperlyConfigured(f"Cannot merge {source!r}: undeclared {', '.join(missing)}.")
    moved: dict[str, list[int]] = {}
    removed: dict[str, list[dict[str, Any]]] = {}
    for reference in declared(type(source)):
        manager = reference.model._base_manager
        rows = manager.filter(**{reference.field: source})
        if reference.on_merge in _KEEPING_RULES:
            whole: dict[int, dict[str, Any]] = {}
            ids = list(rows.values_list("pk", flat=True))
        else:
            # Keyed by the primary key, whatever its name (a score's is its company).
            pk_name = reference.model._meta.pk.attname
            whole = {row[pk_name]: row for row in rows.values()}
            ids = list(whole)
        if not ids:
            continue
        reference.on_merge(rows, reference.field, target)
        there = set(
            manager.filter(pk__in=ids, **{reference.field: target}).values_list("pk", flat=True)
        )
        moved[reference.label] = sorted(there)
        gone = set(whole) - set(manager.filter(pk__in=ids).values_list("pk", flat=True))
        if gone:
            removed.setdefault(reference.model._meta.label, []).extend(whole[pk] for pk in gone)
    history = list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(source, for_concrete_model=False),
            object_id=source.pk,
        ).values_list("pk", flat=True)
    )
    _history(source, target)
    return {"rows": moved, "removed": removed, "history": history}


def relink_back(recorded: dict[str, Any], source: models.Model, target: models.Model) -> None:
    """Undo ``relink_all``: the rows it moved that still point at ``target`` go back to
    ``source`` (a row deleted or moved on since stays as it is), the twins it dropped come
    back, and so does the history."""
    for label, ids in recorded.get("rows", {}).items():
        model_label, field = label.rsplit(".", 1)
        model = apps.get_model(model_label)
        rows = model._base_manager.filter(pk__in=ids, **{field: target})
        rows.update(**{field: source}, **_versioned(rows))
    for model_label, rows in recorded.get("removed", {}).items():
        model = apps.get_model(model_label)
        # A twin whose other record is gone since (its person erased) stays gone.
        relations = [f for f in model._meta.concrete_fields if f.is_relation]
        back = [row for row in rows if all(_points_at_something(f, row) for f in relations)]
        model._base_manager.bulk_create([model(**row) for row in back])
    AuditEntry.objects.filter(pk__in=recorded.get("history", [])).update(object_id=source.pk)


def _points_at_something(field: models.Field, row: dict[str, Any]) -> bool:
    value = row.get(field.attname)
    return value is None or field.related_model._base_manager.filter(pk=value).exists()
