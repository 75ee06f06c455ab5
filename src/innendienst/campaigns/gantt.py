"""The campaign plan as a Gantt chart: where each bar, arrow and date line goes, computed
here and drawn as SVG by the template — on the server, printable, without a script."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import formats

from innendienst.campaigns.models import CampaignPhase

LABEL_WIDTH = 220
CHART_WIDTH = 760
ROW_HEIGHT = 32
HEADER_HEIGHT = 40
BAR_HEIGHT = 18


@dataclass(frozen=True)
class Bar:
    phase: CampaignPhase
    y: int
    x: float
    width: float
    done_width: float
    late: bool  # should be further by now

    @property
    def text_y(self) -> int:
        return self.y + ROW_HEIGHT // 2 + 4

    @property
    def bar_y(self) -> int:
        return self.y + (ROW_HEIGHT - BAR_HEIGHT) // 2


@dataclass(frozen=True)
class Arrow:
    """From the end of the phase waited for to the start of the waiting one."""

    path: str


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    month: bool

    @property
    def label_x(self) -> float:
        return round(self.x + 3, 1)


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_width: int
    header_height: int
    bars: list[Bar]
    arrows: list[Arrow]
    ticks: list[Tick]
    today_x: float | None
    first: datetime.date
    last: datetime.date


def expected_progress(phase: CampaignPhase, today: datetime.date) -> int:
    """How far the phase should be by today if its work were spread evenly over its days."""
    if today < phase.starts_on:
        return 0
    if today > phase.ends_on:
        return 100
    # The days before today: on its first day nothing of a phase is due yet.
    return round(100 * (today - phase.starts_on).days / phase.days)


def chart(phases: Sequence[CampaignPhase], today: datetime.date) -> Chart | None:
    if not phases:
        return None
    first = min(phase.starts_on for phase in phases)
    last = max(phase.ends_on for phase in phases)
    # Start on a Monday, so the week lines fall on the days the calendar starts them.
    first -= datetime.timedelta(days=first.weekday())
    days = max((last - first).days + 1, 7)
    per_day = CHART_WIDTH / days

    def x_of(day: datetime.date) -> float:
        return round(LABEL_WIDTH + (day - first).days * per_day, 1)

    bars: dict[int, Bar] = {}
    for row, phase in enumerate(phases):
        width = round(phase.days * per_day, 1)
        bars[phase.pk] = Bar(
            phase=phase,
            y=HEADER_HEIGHT + row * ROW_HEIGHT,
            x=x_of(phase.starts_on),
            width=width,
            done_width=round(width * phase.progress / 100, 1),
            late=phase.progress < expected_progress(phase, today),
        )
    arrows = []
    for bar in bars.values():
        waited_for = bars.get(bar.phase.depends_on_id or 0)
        if waited_for is None:
            continue
        start_x = waited_for.x + waited_for.width
        start_y = waited_for.bar_y + BAR_HEIGHT // 2
        end_y = bar.bar_y + BAR_HEIGHT // 2
        bend = start_x + 6
        arrows.append(Arrow(f"M{start_x},{start_y} H{bend} V{end_y} H{max(bar.x - 2, bend)}"))
    ticks = []
    day = first
    while day <= last:
        if day.day == 1 or day == first:
            ticks.append(Tick(x_of(day), formats.date_format(day, "M Y"), month=True))
        if day.weekday() == 0:
            # ISO week: what German planners count in ("KW 7").
            ticks.append(Tick(x_of(day), str(day.isocalendar().week), month=False))
        day += datetime.timedelta(days=1)
    today_x = x_of(today) if first <= today <= last else None
    return Chart(
        width=LABEL_WIDTH + CHART_WIDTH,
        height=HEADER_HEIGHT + len(bars) * ROW_HEIGHT + 4,
        label_width=LABEL_WIDTH,
        header_height=HEADER_HEIGHT,
        bars=list(bars.values()),
        arrows=arrows,
        ticks=ticks,
        today_x=today_x,
        first=first,
        last=last,
    )
