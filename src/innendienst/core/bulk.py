"""Bulk inserts that bypass the ORM's query compiler: ``COPY`` on PostgreSQL.

``bulk_create`` prepares every value of every row through the field and the compiler; for
rows that need no ids back (audit entries, an import's row log) or whose ids are set already
(the demo data), that is most of the cost of writing them.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, models

# Field types whose Python values the driver takes as they are, so the per-value trip
# through ``get_db_prep_save`` can be skipped: psycopg adapts decimals, dates and aware
# datetimes itself; for sqlite3 Django converts those, so only numbers and text pass.
PLAIN_TYPES = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "EmailField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "TextField",
    "URLField",
}
PSYCOPG_PLAIN_TYPES = PLAIN_TYPES | {"DateField", "DateTimeField", "DecimalField"}


# ``pre_save`` of these only reads the attribute unless the field is ``auto_now(_add)``.
_READING_PRE_SAVE = {
    models.Field.pre_save,
    models.DateField.pre_save,
    models.DateTimeField.pre_save,
}


def _reader(field: models.Field) -> Callable[[models.Model], Any]:
    """How a row's value of ``field`` is read for writing: as ``save()`` would, through
    ``pre_save`` where it fills something (a time stamp), else as the attribute itself — a
    method call per value was a fiftieth of an import."""
    fills = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    if fills or type(field).pre_save not in _READING_PRE_SAVE:
        return lambda row: field.pre_save(row, True)
    return operator.attrgetter(field.attname)


class RowWriter:
    """Bulk insert of rows whose primary keys are set already, or left to the database.

    Skips the query compiler of ``bulk_create``: PostgreSQL gets ``COPY``, other databases
    one ``executemany``. Measured: ``COPY`` writes order lines eight times faster than
    ``bulk_create``; on SQLite ``executemany`` halves the load time of the small size.
    """

    def __init__(self) -> None:
        # The wrapper itself, not the thread-local proxy: it is asked once per value.
        self.db = connections[DEFAULT_DB_ALIAS]
        self.use_copy = self.db.vendor == "postgresql"
        self.plain = PSYCOPG_PLAIN_TYPES if self.use_copy else PLAIN_TYPES

    def write(
        self, model: type[models.Model], rows: Sequence[models.Model], *, with_ids: bool = True
    ) -> int:
        """Unsaved instances; ``pre_save`` fills ``auto_now`` fields as ``save()`` would.
        Without ``with_ids`` the database numbers the rows (the instances keep no id). The
        rows are read while the ``COPY`` runs, when the connection can run no other query: an
        iterator that queries (a content type not yet cached) would wait for ever."""
        fields = [
            f
            for f in model._meta.concrete_fields
            if not f.generated and (with_ids or f is not model._meta.pk)
        ]
        readers = [_reader(f) for f in fields]
        return self._insert(model, fields, ([read(row) for read in readers] for row in rows))

    def write_tuples(
        self, model: type[models.Model], columns: Sequence[str], rows: list[tuple]
    ) -> int:
        """Tuples of attribute values in ``columns`` order: for tables with millions of rows,
        where building model instances would cost more than writing them."""
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        return self._insert(model, [by_attname[column] for column in columns], rows)

    def _insert(
        self, model: type[models.Model], fields: list[models.Field], rows: Iterable[Sequence]
    ) -> int:
        db = self.db
        convert = [(i, f) for i, f in enumerate(fields) if f.get_internal_type() not in self.plain]

        def prepared(values: Sequence) -> list:
            values = list(values)
            for index, field_ in convert:
                values[index] = field_.get_db_prep_save(values[index], db)
            return values

        quote = db.ops.quote_name
        table = quote(model._meta.db_table)
        columns = ", ".join(quote(f.column) for f in fields)
        count = 0
        with db.cursor() as cursor:
            if self.use_copy:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for values in rows:
                        copy.write_row(prepared(values))
                        count += 1
            else:
                batch = [prepared(values) for values in rows]
                placeholders = ", ".join(["%s"] * len(fields))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", batch
                )
                count = len(batch)
        return count

    @staticmethod
    def finish(models_written: Iterable[type[models.Model]]) -> None:
        """Move the id sequences past the ids handed out, and refresh the planner statistics."""
        written = list(models_written)
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), written):
                cursor.execute(statement)
            if connection.vendor == "postgresql":
                for model in written:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def insert_new(model: type[models.Model], records: list[models.Model]) -> None:
    """New records, given their ids as ``bulk_create`` would: on PostgreSQL the ids are drawn
    from the table's sequence in one statement and the rows written by ``COPY`` (an import's
    companies and people), elsewhere by ``bulk_create``. Sends no signals, like it."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql" or not records:
        model.objects.bulk_create(records)
        return
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, len(records)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    for record, pk in zip(records, ids, strict=True):
        record.pk = pk
        record._state.adding, record._state.db = False, db.alias
    RowWriter().write(model, records)
