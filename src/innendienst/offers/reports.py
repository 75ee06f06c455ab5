"""Die Angebotsauswertung: why offers are lost (by product group and competitor, for product
management and field sales), how long offers take from request to sending (per rep and
team), and how well the win probability is calibrated."""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Sum

from innendienst.accounts.models import User
from innendienst.catalog.models import ProductGroup
from innendienst.core.money import to_eur
from innendienst.offers.models import LossReason, Offer, OfferLine, OfferStatus, WinModel

PERIODS = (3, 6, 12, 24)  # months
DEFAULT_PERIOD = 12
QUICK_DAYS = 2  # an offer out within two days of the request is "quick"


def period_start(today: datetime.date, months: int) -> datetime.date:
    index = today.year * 12 + today.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _main_group() -> Subquery:
    return Subquery(
        OfferLine.objects.filter(offer_id=OuterRef("pk"), product__isnull=False)
        .order_by((F("quantity") * F("unit_price")).desc(), "position")
        .values("product__group_id")[:1]
    )


@dataclass
class LossCell:
    count: int = 0
    value: Decimal = Decimal(0)


@dataclass
class LossTable:
    """Lost offers by reason (rows) and by a second dimension (columns)."""

    columns: list[str]
    rows: list[tuple[str, list[LossCell], LossCell]]
    totals: list[LossCell]
    total: LossCell = field(default_factory=LossCell)


def _table(found: list[tuple[str, str, LossCell]], column_order: list[str]) -> LossTable:
    cells: dict[str, dict[str, LossCell]] = defaultdict(dict)
    for reason, column, cell in found:
        cells[reason][column] = cell
    totals = {column: LossCell() for column in column_order}
    grand = LossCell()
    rows = []
    for reason in LossReason:
        if reason.value not in cells:
            continue
        row_total = LossCell()
        row = []
        for column in column_order:
            cell = cells[reason.value].get(column, LossCell())
            row.append(cell)
            for target in (row_total, totals[column], grand):
                target.count += cell.count
                target.value += cell.value
        rows.append((str(reason.label), row, row_total))
    return LossTable(column_order, rows, [totals[column] for column in column_order], grand)


def loss_by_product_group(lost: QuerySet[Offer]) -> LossTable:
    names = dict(ProductGroup.objects.values_list("pk", "name"))
    aggregated = (
        lost.annotate(group=_main_group())
        .values("loss_reason", "group", "currency")
        .annotate(count=Count("pk"), value=Sum("net_total"))
    )
    merged: dict[tuple[str, str], LossCell] = defaultdict(LossCell)
    for row in aggregated:
        cell = merged[(row["loss_reason"], names.get(row["group"], "–"))]
        cell.count += row["count"]
        cell.value += to_eur(row["value"] or Decimal(0), row["currency"])
    columns = sorted({column for _reason, column in merged}, key=lambda name: (name == "–", name))
    return _table([(reason, column, cell) for (reason, column), cell in merged.items()], columns)


@dataclass(frozen=True)
class CompetitorRow:
    name: str
    count: int
    value: Decimal
    share: float  # of the offers lost to a competitor


def loss_by_competitor(lost: QuerySet[Offer]) -> list[CompetitorRow]:
    aggregated = (
        lost.filter(loss_reason=LossReason.COMPETITOR)
        .values("competitor", "currency")
        .annotate(count=Count("pk"), value=Sum("net_total"))
    )
    merged: dict[str, LossCell] = defaultdict(LossCell)
    for row in aggregated:
        cell = merged[row["competitor"] or "–"]
        cell.count += row["count"]
        cell.value += to_eur(row["value"] or Decimal(0), row["currency"])
    total = sum(cell.count for cell in merged.values()) or 1
    return sorted(
        (
            CompetitorRow(name, cell.count, cell.value, cell.count / total)
            for name, cell in merged.items()
        ),
        key=lambda row: (-row.count, row.name),
    )


@dataclass(frozen=True)
class ProcessingRow:
    name: str
    offers: int
    median_days: float
    mean_days: float
    quick_share: float  # sent within QUICK_DAYS of the request


def _processing(rows: list[tuple[str, int]]) -> list[ProcessingRow]:
    by_name: dict[str, list[int]] = defaultdict(list)
    for name, days in rows:
        by_name[name].append(days)
    return sorted(
        (
            ProcessingRow(
                name=name,
                offers=len(days),
                median_days=float(statistics.median(days)),
                mean_days=statistics.fmean(days),
                quick_share=sum(1 for day in days if day <= QUICK_DAYS) / len(days),
            )
            for name, days in by_name.items()
        ),
        key=lambda row: (row.median_days, row.name),
    )


@dataclass(frozen=True)
class Processing:
    by_rep: list[ProcessingRow]
    by_team: list[ProcessingRow]
    overall: ProcessingRow | None


def processing_times(sent: QuerySet[Offer]) -> Processing:
    """Days from the request to the sent first version (Bearbeitungszeit)."""
    users = {
        user.pk: user
        for user in User.objects.filter(pk__in=sent.values("owner_id").distinct()).select_related(
            "team"
        )
    }
    reps, teams, everyone = [], [], []
    for owner_id, requested, sent_on in sent.values_list("owner_id", "requested_on", "sent_on"):
        days = max(0, (sent_on - requested).days)
        user = users[owner_id]
        reps.append((user.get_full_name() or user.username, days))
        teams.append((str(user.team) if user.team else "–", days))
        everyone.append(("", days))
    overall = _processing(everyone)
    return Processing(_processing(reps), _processing(teams), overall[0] if overall else None)


@dataclass(frozen=True)
class Analysis:
    since: datetime.date
    months: int
    lost: int
    won: int
    by_group: LossTable
    by_competitor: list[CompetitorRow]
    processing: Processing
    model: WinModel | None


def analysis(offers: QuerySet[Offer], today: datetime.date, months: int) -> Analysis:
    since = period_start(today, months)
    closed = offers.filter(closed_on__gte=since)
    lost = closed.filter(status=OfferStatus.LOST)
    return Analysis(
        since=since,
        months=months,
        lost=lost.count(),
        won=closed.filter(status=OfferStatus.WON).count(),
        by_group=loss_by_product_group(lost),
        by_competitor=loss_by_competitor(lost),
        processing=processing_times(offers.filter(sent_on__gte=since, sent_on__isnull=False)),
        model=WinModel.objects.order_by("-trained_at", "-id").first(),
    )
