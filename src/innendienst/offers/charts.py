"""The forecast as a chart drawn on the server (SVG, no script, no CDN): a bar per month for the
expected revenue, its P10–P90 band as a whisker, P50 as a mark."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from innendienst.offers.forecast import MonthBand

WIDTH = 640
HEIGHT = 240
LEFT = 64
BOTTOM = 28
TOP = 12
STEPS = 4


@dataclass(frozen=True)
class Bar:
    label: str
    x: float
    center: float
    width: float
    top: float
    height: float
    p10: float
    p50: float
    p90: float
    title: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    baseline: float
    bars: list[Bar]
    ticks: list[tuple[float, str]]


def _nice(limit: float) -> float:
    """A round upper end for the axis."""
    if limit <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(limit))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= limit:
            return step * magnitude
    return 10 * magnitude


def _short(value: float) -> str:
    if value >= 1_000_000:
        return _("%(value)s m") % {"value": formats.number_format(value / 1_000_000, 1)}
    if value >= 1_000:
        return _("%(value)s k") % {"value": formats.number_format(value / 1_000, 0)}
    return formats.number_format(value, 0)


def forecast_chart(months: list[MonthBand]) -> Chart:
    top = _nice(max((float(max(band.p90, band.expected)) for band in months), default=0.0))
    plot_height = HEIGHT - BOTTOM - TOP
    baseline = HEIGHT - BOTTOM
    slot = (WIDTH - LEFT) / max(len(months), 1)

    def y(value: Decimal | float) -> float:
        return baseline - float(value) / top * plot_height

    bars = []
    for index, band in enumerate(months):
        x = LEFT + index * slot + slot * 0.2
        bars.append(
            Bar(
                label=formats.date_format(band.month, "M y"),
                x=round(x, 1),
                center=round(x + slot * 0.3, 1),
                width=round(slot * 0.6, 1),
                top=round(y(band.expected), 1),
                height=round(baseline - y(band.expected), 1),
                p10=round(y(band.p10), 1),
                p50=round(y(band.p50), 1),
                p90=round(y(band.p90), 1),
                title=f"{formats.date_format(band.month, 'YEAR_MONTH_FORMAT')}: "
                f"{_short(float(band.expected))} (P10 {_short(float(band.p10))}, "
                f"P90 {_short(float(band.p90))})",
            )
        )
    ticks = [
        (round(y(top * step / STEPS), 1), _short(top * step / STEPS)) for step in range(STEPS + 1)
    ]
    return Chart(WIDTH, HEIGHT, LEFT, baseline, bars, ticks)
