"""Loading generated rows: secondary indexes and foreign keys put aside while a table fills."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection


@dataclass
class Deferred:
    """Secondary indexes and foreign keys of tables that are about to be bulk loaded."""

    indexes: list[str] = field(default_factory=list)  # CREATE INDEX statements
    foreign_keys: list[tuple[str, str, str]] = field(default_factory=list)  # table, name, def


def defer_indexes(tables: Iterable[str]) -> Deferred:
    """Drop the secondary indexes and the foreign keys of ``tables`` (PostgreSQL only).

    Built once over the loaded rows, an index costs a fraction of keeping it up to date row
    by row (the trigram indexes most), and one validating scan per foreign key replaces a
    check per row at commit. Unique indexes and primary keys stay: they guard the load.
    Everything happens inside the load's transaction, so a failed load leaves them as they were.
    """
    deferred = Deferred()
    if connection.vendor != "postgresql":
        return deferred
    names = list(tables)
    with connection.cursor() as cursor:
        # The deferred checks of rows deleted before (a reset) run now: a table with pending
        # checks cannot lose a foreign key.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(
            "SELECT c.relname, con.conname, pg_get_constraintdef(con.oid)"
            " FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid"
            " WHERE con.contype = 'f' AND c.relname = ANY(%s) ORDER BY c.relname, con.conname",
            [names],
        )
        deferred.foreign_keys = list(cursor.fetchall())
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x"
            " JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid"
            " WHERE t.relname = ANY(%s) AND NOT x.indisunique AND NOT x.indisprimary"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.oid)"
            " ORDER BY t.relname, i.relname",
            [names],
        )
        indexes = cursor.fetchall()
        deferred.indexes = [definition for _name, definition in indexes]
        quote = connection.ops.quote_name
        for table, name, _definition in deferred.foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    return deferred


def restore_indexes(deferred: Deferred) -> None:
    """Build the dropped indexes and add the foreign keys back, validating every row."""
    if not deferred.indexes and not deferred.foreign_keys:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # For this transaction only: sorting in memory instead of on disk.
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for statement in deferred.indexes:
            cursor.execute(statement)
        for table, name, definition in deferred.foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
