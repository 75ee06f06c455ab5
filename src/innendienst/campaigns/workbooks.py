"""The campaign plan as an Excel workbook: the phases as a table, and beside them the weeks
as a bar chart of filled cells — what planners print and pass on."""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence

import xlsxwriter
from django.http import FileResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from innendienst.campaigns.models import Campaign, CampaignPhase

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLE_COLUMNS = 7


def _weeks(phases: Sequence[CampaignPhase]) -> list[datetime.date]:
    if not phases:
        return []
    first = min(phase.starts_on for phase in phases)
    first -= datetime.timedelta(days=first.weekday())
    last = max(phase.ends_on for phase in phases)
    weeks = []
    while first <= last:
        weeks.append(first)
        first += datetime.timedelta(weeks=1)
    return weeks


def week_cells(phase: CampaignPhase, weeks: Sequence[datetime.date]) -> list[tuple[int, bool]]:
    """The weeks (by offset) the phase covers, each done or not: done as far as the phase's
    progress reaches into its days."""
    done_until = phase.starts_on + datetime.timedelta(days=phase.days * phase.progress // 100)
    cells = []
    for offset, monday in enumerate(weeks):
        if monday + datetime.timedelta(days=6) < phase.starts_on or monday > phase.ends_on:
            continue
        # A phase starting mid-week has done nothing of that week before its first day.
        cells.append((offset, max(monday, phase.starts_on) < done_until))
    return cells


def plan_workbook(campaign: Campaign, phases: Sequence[CampaignPhase]) -> bytes:
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_urls": False})
    sheet = workbook.add_worksheet(_("Campaign plan")[:31])
    bold = workbook.add_format({"bold": True})
    header = workbook.add_format({"bold": True, "bottom": 1, "bg_color": "#EEF2F7"})
    week_header = workbook.add_format(
        {"bold": True, "bottom": 1, "bg_color": "#EEF2F7", "align": "center"}
    )
    date = workbook.add_format({"num_format": "dd.mm.yyyy"})
    percent = workbook.add_format({"num_format": "0 %"})
    planned = workbook.add_format({"bg_color": "#BFD4F2"})
    done = workbook.add_format({"bg_color": "#2563EB"})

    sheet.write_string(0, 0, campaign.name, bold)
    headers = [
        _("Phase"),
        _("Responsible"),
        _("Start"),
        _("End"),
        _("Days"),
        _("After"),
        _("Progress"),
    ]
    for column, title in enumerate(headers):
        sheet.write_string(2, column, title, header)
    weeks = _weeks(phases)
    for offset, monday in enumerate(weeks):
        label = _("CW %(week)s") % {"week": monday.isocalendar().week}
        sheet.write_string(2, TABLE_COLUMNS + offset, label, week_header)
    for line, phase in enumerate(phases, start=3):
        sheet.write_string(line, 0, phase.name)
        sheet.write_string(line, 1, str(phase.owner or ""))
        sheet.write_datetime(
            line, 2, datetime.datetime.combine(phase.starts_on, datetime.time()), date
        )
        sheet.write_datetime(
            line, 3, datetime.datetime.combine(phase.ends_on, datetime.time()), date
        )
        sheet.write_number(line, 4, phase.days)
        sheet.write_string(line, 5, phase.depends_on.name if phase.depends_on else "")
        sheet.write_number(line, 6, phase.progress / 100, percent)
        for offset, worked in week_cells(phase, weeks):
            sheet.write_blank(line, TABLE_COLUMNS + offset, None, done if worked else planned)
    sheet.set_column(0, 0, 32)
    sheet.set_column(1, 1, 22)
    sheet.set_column(2, 3, 11)
    sheet.set_column(4, 4, 6)
    sheet.set_column(5, 5, 24)
    sheet.set_column(6, 6, 10)
    if weeks:
        sheet.set_column(TABLE_COLUMNS, TABLE_COLUMNS + len(weeks) - 1, 6)
    sheet.freeze_panes(3, 1)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(2)
    workbook.close()
    return output.getvalue()


def plan_response(campaign: Campaign, phases: Sequence[CampaignPhase]) -> FileResponse:
    prefix = _("Plan")
    name = slugify(campaign.name) or "campaign"
    return FileResponse(
        io.BytesIO(plan_workbook(campaign, phases)),
        as_attachment=True,
        filename=f"{prefix}-{name}.xlsx",
        content_type=XLSX,
    )
