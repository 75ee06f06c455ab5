"""Fremdschlüssel: records found by the key another system gave them, and keys kept for records
an import creates."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat

from innendienst.core.bulk import RowWriter
from innendienst.core.models import ExternalKey

# (system, key)
Key = tuple[str, str]


def records_by_key(model: type[models.Model], keys: Iterable[Key]) -> dict[Key, models.Model]:
    """The records of ``model`` that carry one of the keys, whole; two queries."""
    wanted = {(source, key) for source, key in keys if source and key}
    if not wanted:
        return {}
    condition = Q()
    for source, key in wanted:
        condition |= Q(source=source, key=key)
    content_type = ContentType.objects.get_for_model(model)
    found = {
        (source, key): object_id
        for object_id, source, key in ExternalKey.objects.filter(
            condition, content_type=content_type
        ).values_list("object_id", "source", "key")
    }
    records = model._base_manager.in_bulk(set(found.values()))
    return {pair: records[pk] for pair, pk in found.items() if pk in records}


def keys_add(keyed: Iterable[tuple[models.Model, Key]]) -> None:
    """The keys of records just written, in one statement."""
    rows = [
        ExternalKey(
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            source=source,
            key=key,
        )
        for record, (source, key) in keyed
    ]
    if rows:
        RowWriter().write(ExternalKey, rows, with_ids=False)


class _Joined(models.Aggregate):
    """The keys of a record as one text, "SAP: 100042; Schober: A-7"."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, '; ')"
    output_field = models.TextField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="GROUP_CONCAT")


def keys_text(model: type[models.Model]) -> Subquery:
    """An annotation of each record's keys as one text (exports): a lookup along the keys'
    index per row — prefetching them for each chunk of a long export made it four times
    slower. In no particular order."""
    keys = (
        ExternalKey.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=OuterRef("pk")
        )
        .order_by()
        .values("object_id")
        .annotate(text=_Joined(Concat("source", Value(": "), "key")))
        .values("text")
    )
    return Subquery(keys, output_field=models.TextField())
