"""Dublettensuche: the engine over the whole database, writing the review queue.

A scan keys the records anew (all of them, or those changed since the last scan), forms the
candidate pairs from the records that share a telling key (one self-join of the key table),
scores each pair as the entry check does, and replaces the open pairs it is responsible for:
all of them after a whole-database scan, those of changed records after an incremental one.
Decided pairs ("kein Duplikat", merged) are never written again. The pairs above ``HINT`` are
joined into clusters (connected records), which the queue shows largest evidence first. A
whole-database scan also learns the weights from its pairs and the decisions (``estimate``),
scores its pairs with them, and keeps them for the entry checks and the scans that follow.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from innendienst.accounts.access import can_edit_master_data
from innendienst.contacts.models import Person
from innendienst.core import audit
from innendienst.core.bulk import RowWriter
from innendienst.matching import estimate, keys
from innendienst.matching.engine import (
    Score,
    Weights,
    score,
)
from innendienst.matching.models import (
    DuplicatePair,
    MatchKey,
    PairStatus,
    RecordKind,
    Scan,
    ScanStatus,
    model_of,
)
from innendienst.matching.profiles import key_hash
from innendienst.matching.selectors import HINT, comparisons_of

User = Any
Progress = Callable[[Scan], None]
BATCH = 20_000
# A whole-database scan keeps the pairs from here to score them again with the weights it
# estimates: a pair below ``HINT`` may rise above it. One below this would need its levels to
# gain five bits together; the next scan, which starts from the new weights, finds it.
LOW = 0.01
ABANDONED_AFTER = datetime.timedelta(hours=1)


def may_scan(user: User) -> bool:
    """Who keeps the master data keeps it clean: a scan is one job at a time, and each user
    reviews only the pairs of records he sees."""
    return can_edit_master_data(user)


def scan_start(*, actor: User | None, kind: str, full: bool = False, queue: bool = True) -> Scan:
    """Queue a scan (``queue=False``: the caller runs it, as the command line does); a second
    one of the same records while one is queued or running is refused (the database
    constraint decides, also between two clicks at once)."""
    if actor is not None and not may_scan(actor):
        raise PermissionDenied(_("Your role may not change master data."))
    if kind not in RecordKind.values:
        raise ValidationError({"kind": [_("Choose companies or people.")]})
    # A scan whose worker died would block every later one: one that has not moved on for
    # an hour (or waited that long in the queue) is given up.
    silent_since = timezone.now() - ABANDONED_AFTER
    Scan.objects.filter(
        Q(heartbeat_at__lt=silent_since)
        | Q(heartbeat_at__isnull=True, created_at__lt=silent_since),
        kind=kind,
        status__in=[ScanStatus.QUEUED, ScanStatus.RUNNING],
    ).update(
        status=ScanStatus.FAILED,
        failure=_("Given up: its worker stopped."),
        finished_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            scan = Scan.objects.create(kind=kind, full=full, started_by=actor)
            audit.record_create(actor=actor, instance=scan)
    except IntegrityError as exc:
        raise ValidationError(_("A scan of these records is running already.")) from exc
    if queue:
        transaction.on_commit(lambda: _queue(scan.pk))
    return scan


def _queue(scan_id: int) -> None:
    from innendienst.matching.tasks import run_scan

    run_scan(scan_id)


def scan_run(scan_id: int, progress: Progress | None = None) -> Scan:
    # Claimed by one worker only, also when the job is delivered twice.
    claimed = Scan.objects.filter(pk=scan_id, status=ScanStatus.QUEUED).update(
        status=ScanStatus.RUNNING, heartbeat_at=timezone.now()
    )
    scan = Scan.objects.get(pk=scan_id)
    if not claimed:
        return scan
    tell = progress or (lambda _scan: None)
    previous = (
        Scan.objects.filter(kind=scan.kind, status=ScanStatus.DONE).order_by("-created_at").first()
    )
    since = None if scan.full or previous is None else previous.created_at
    _sets(scan, status=ScanStatus.RUNNING, since=since, stage="keys")
    try:
        _run(scan, since, tell)
    except GivenUp:
        scan.refresh_from_db()
    except Exception as exc:
        # Whatever went wrong, the scan must not stay "running": it would block the next.
        _sets(scan, status=ScanStatus.FAILED, failure=str(exc), finished_at=timezone.now())
        raise
    return scan


def _sets(scan: Scan, **values: Any) -> None:
    values["heartbeat_at"] = timezone.now()
    for name, value in values.items():
        setattr(scan, name, value)
    Scan.objects.filter(pk=scan.pk).update(**values)


class GivenUp(Exception):
    """The scan was given up as silent while it was still working: its result is not kept."""


def _run(scan: Scan, since: datetime.datetime | None, tell: Progress) -> None:
    kind = scan.kind
    model = model_of(kind)

    def keyed(done: int, total: int) -> None:
        _sets(scan, done=done, total=total)
        tell(scan)

    # The profiles read to key the records are compared next: read once.
    known: dict[int, keys.Profile] = {}
    if since is None:
        keys.refresh_all(kind, keyed, keep=known)
        changed = None
    else:
        changed = set(model.objects.filter(updated_at__gte=since).values_list("pk", flat=True))
        keys.refresh(kind, changed, keep=known)
        keyed(len(changed), len(changed))
    _sets(scan, stage="pairs", done=0, total=0)
    tell(scan)
    weights = estimate.weights_for(kind)
    evidence = None
    if since is None:
        # The decided pairs count as the reviewers said, not as the engine scores them.
        evidence = estimate.Evidence()
        decided = DuplicatePair.objects.filter(kind=kind).exclude(status=PairStatus.OPEN)
        for left, right, reasons, status in decided.values_list(
            "left_id", "right_id", "reasons", "status"
        ).iterator():
            evidence.add_decision((left, right), reasons, status == PairStatus.MERGED)
    scored = list(_scored_pairs(scan, changed, known, tell, weights, evidence))
    if evidence is not None:
        scored = _learnt(kind, scored, evidence, weights)
    _sets(scan, stage="writing")
    tell(scan)
    with transaction.atomic():
        if Scan.objects.select_for_update().get(pk=scan.pk).status != ScanStatus.RUNNING:
            raise GivenUp
        found = _write(kind, scored, changed)
        _sets(
            scan,
            status=ScanStatus.DONE,
            stage="",
            found=found,
            finished_at=timezone.now(),
        )
    tell(scan)


def candidate_pairs(kind: str, changed: set[int] | None) -> Iterator[tuple[int, int]]:
    """Each pair of records that share a telling key held by at most ``BLOCK_LIMIT``
    records, once, the smaller id first; with ``changed``, only pairs with a changed record,
    found from the changed records' keys (a day's changes, not the whole self-join)."""
    table = connection.ops.quote_name(MatchKey._meta.db_table)
    small_blocks = f"""
        SELECT key FROM {table} WHERE kind = %s AND NOT counts_only {{among}}
        GROUP BY key HAVING COUNT(*) BETWEEN 2 AND %s
    """
    if changed is None:
        sql = f"""
            SELECT DISTINCT a.record_id, b.record_id
            FROM {table} a
            JOIN {table} b ON b.kind = a.kind AND b.key = a.key AND b.record_id > a.record_id
            WHERE a.kind = %s AND NOT a.counts_only
              AND a.key IN ({small_blocks.format(among="")})
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [kind, kind, keys.BLOCK_LIMIT])
            while rows := cursor.fetchmany(BATCH):
                yield from rows
        return
    seen: set[tuple[int, int]] = set()
    for chunk in keys.chunks(sorted(changed)):
        ids = ", ".join(["%s"] * len(chunk))
        among = f"AND key IN (SELECT key FROM {table} WHERE kind = %s AND record_id IN ({ids}))"
        sql = f"""
            SELECT a.record_id, b.record_id
            FROM {table} a
            JOIN {table} b ON b.kind = a.kind AND b.key = a.key AND b.record_id <> a.record_id
            WHERE a.kind = %s AND NOT a.counts_only AND a.record_id IN ({ids})
              AND a.key IN ({small_blocks.format(among=among)})
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [kind, *chunk, kind, kind, *chunk, keys.BLOCK_LIMIT])
            for one, other in cursor.fetchall():
                pair = (min(one, other), max(one, other))
                if pair not in seen:
                    seen.add(pair)
                    yield pair


class _Counts:
    """How many records carry each key, for the keys two records can share (held by two or
    more), looked up by the key's hash; and a company's people."""

    def __init__(self, kind: str) -> None:
        self.by_hash = dict(
            MatchKey.objects.filter(kind=kind)
            .values("key")
            .annotate(n=Count("record_id"))
            .filter(n__gte=2)
            .values_list("key", "n")
        )
        keys.remember_common(kind, self.by_hash)
        self.people: dict[int, int] = {}
        if kind == RecordKind.PERSON:
            self.people = dict(
                Person.objects.values("company_id")
                .annotate(n=Count("pk"))
                .values_list("company_id", "n")
            )

    def get(self, key: str, default: int, /) -> int:
        if key.startswith("Y|"):
            return self.people.get(int(key[2:]), default)
        # A key two records share is held by two at least, even if the table is a step behind.
        return self.by_hash.get(key_hash(key), 2)


def _scored_pairs(
    scan: Scan,
    changed: set[int] | None,
    known: dict[int, keys.Profile],
    tell: Progress,
    weights: Weights | None,
    evidence: estimate.Evidence | None,
) -> Iterator[tuple[int, int, Score]]:
    """The candidate pairs from ``HINT``; with ``evidence`` (a whole-database scan, which
    estimates the weights next) every pair is noted there, and pairs are kept from ``LOW``:
    new weights may lift them."""
    kind = scan.kind
    comparisons = comparisons_of(kind)
    kept_from = HINT if evidence is None else LOW
    pairs = list(candidate_pairs(kind, changed))
    _sets(scan, stage="scoring", total=len(pairs), done=0)
    tell(scan)
    counts = _Counts(kind)
    total = keys.total(kind)
    profiles = known
    wanted = {pk for pair in pairs for pk in pair if pk not in known}
    profiles.update((p.id, p) for p in keys.profiles(kind, wanted, with_contacts=True))
    for number, (left, right) in enumerate(pairs, start=1):
        if left in profiles and right in profiles:
            result = score(
                comparisons,
                profiles[left],
                profiles[right],
                total=total,
                counts=counts,
                weights=weights,
            )
            if evidence is not None and (left, right) not in evidence.decided_pairs:
                evidence.add(result)
            if result.probability >= kept_from:
                yield left, right, result
        if number % BATCH == 0:
            _sets(scan, done=number, compared=number)
            tell(scan)
    _sets(scan, done=len(pairs), compared=len(pairs))


def _learnt(
    kind: str,
    scored: list[tuple[int, int, Score]],
    evidence: estimate.Evidence,
    weights: Weights | None,
) -> list[tuple[int, int, Score]]:
    """The weights estimated from this scan's pairs and the reviewers' decisions, stored for
    what comes next, and the pairs scored with them."""
    comparisons = comparisons_of(kind)
    estimated = estimate.estimate(comparisons, evidence, weights)
    if estimated is None:
        return [pair for pair in scored if pair[2].probability >= HINT]
    estimate.store(kind, estimated)
    before = estimate.scored_with(comparisons, weights)
    result = []
    for left, right, found in scored:
        again = estimate.rescored(found, before, estimated.m)
        if again.probability >= HINT:
            result.append((left, right, again))
    return result


def _write(kind: str, scored: list[tuple[int, int, Score]], changed: set[int] | None) -> int:
    open_pairs = DuplicatePair.objects.filter(kind=kind, status=PairStatus.OPEN)
    if changed is None:
        open_pairs.delete()
    else:
        for chunk in keys.chunks(sorted(changed)):
            open_pairs.filter(left_id__in=chunk).delete()
            open_pairs.filter(right_id__in=chunk).delete()
    decided = set(
        DuplicatePair.objects.filter(kind=kind)
        .exclude(status=PairStatus.OPEN)
        .values_list("left_id", "right_id")
    )
    kept = set(open_pairs.values_list("left_id", "right_id"))
    now = timezone.now()
    rows = [
        (kind, left, right, result.probability, _reasons(result), left, PairStatus.OPEN, now)
        for left, right, result in scored
        if (left, right) not in decided and (left, right) not in kept
    ]
    columns = ["kind", "left_id", "right_id", "score", "reasons", "cluster", "status", "found_at"]
    RowWriter().write_tuples(DuplicatePair, columns, rows)
    clusters_update(kind)
    return len(rows)


def _reasons(result: Score) -> list[list[Any]]:
    return [
        [reason.field, reason.level, round(reason.bits, 2)]
        for reason in sorted(result.reasons, key=lambda r: -abs(r.bits))
    ]


def clusters_update(kind: str) -> None:
    """Each open pair's cluster: the smallest record id among the records it connects."""
    pairs = list(
        DuplicatePair.objects.filter(kind=kind, status=PairStatus.OPEN).values_list(
            "pk", "left_id", "right_id", "cluster"
        )
    )
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for _pk, left, right, _cluster in pairs:
        a, b = root(left), root(right)
        if a != b:
            parent[max(a, b)] = min(a, b)
    moved: dict[int, list[int]] = {}
    for pk, left, _right, cluster in pairs:
        if root(left) != cluster:
            moved.setdefault(root(left), []).append(pk)
    for cluster, ids in moved.items():
        for chunk in keys.chunks(ids):
            DuplicatePair.objects.filter(pk__in=chunk).update(cluster=cluster)
