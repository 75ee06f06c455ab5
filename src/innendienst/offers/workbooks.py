"""The forecast as an Excel workbook: revenue per month with its band for management,
expected quantities per product and month for production."""

from __future__ import annotations

import datetime
import io

import xlsxwriter
from django.http import FileResponse
from django.utils import formats
from django.utils.translation import gettext as _

from innendienst.offers.forecast import Forecast

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _month(day: datetime.date) -> str:
    return formats.date_format(day, "YEAR_MONTH_FORMAT")


def forecast_workbook(result: Forecast) -> bytes:
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_urls": False})
    bold = workbook.add_format({"bold": True})
    header = workbook.add_format({"bold": True, "bottom": 1, "bg_color": "#EEF2F7"})
    euros = workbook.add_format({"num_format": "#,##0.00 [$€-407]"})
    euros_total = workbook.add_format({"num_format": "#,##0.00 [$€-407]", "bold": True, "top": 1})
    amount = workbook.add_format({"num_format": "#,##0.0"})
    amount_total = workbook.add_format({"num_format": "#,##0.0", "bold": True, "top": 1})

    revenue = workbook.add_worksheet(_("Revenue")[:31])
    revenue.write_string(0, 0, _("Revenue forecast of the open offers"), bold)
    revenue.write_string(
        1,
        0,
        _("As of %(date)s · %(offers)s open offers · %(runs)s simulations · euros")
        % {
            "date": formats.date_format(result.today, "SHORT_DATE_FORMAT"),
            "offers": result.offers,
            "runs": result.simulations,
        },
    )
    titles = [_("Month"), _("Expected"), "P10", "P50", "P90"]
    for column, title in enumerate(titles):
        revenue.write_string(3, column, title, header)
    row = 4
    for band in result.months:
        revenue.write_string(row, 0, _month(band.month))
        for column, value in enumerate((band.expected, band.p10, band.p50, band.p90), start=1):
            revenue.write_number(row, column, float(value), euros)
        row += 1
    revenue.write_string(row, 0, _("Later"))
    revenue.write_number(row, 1, float(result.later), euros)
    row += 1
    revenue.write_string(row, 0, _("Total"), bold)
    revenue.write_formula(row, 1, f"=SUM(B5:B{row})", euros_total, float(result.expected_total))
    revenue.set_column(0, 0, 18)
    revenue.set_column(1, 4, 16)
    revenue.freeze_panes(4, 1)

    quantities = workbook.add_worksheet(_("Quantities")[:31])
    quantities.write_string(0, 0, _("Expected quantities per product and month"), bold)
    columns = [_("Article"), _("Name"), _("Unit")]
    columns += [_month(band.month) for band in result.months] + [_("Later"), _("Total")]
    for column, title in enumerate(columns):
        quantities.write_string(2, column, title, header)
    for row, entry in enumerate(result.quantities, start=3):
        quantities.write_string(row, 0, entry.product.sku)
        quantities.write_string(row, 1, entry.product.name)
        quantities.write_string(row, 2, entry.product.get_unit_display())
        values = [*entry.per_month, entry.later]
        for column, value in enumerate(values, start=3):
            quantities.write_number(row, column, float(value), amount)
        last = xlsxwriter.utility.xl_rowcol_to_cell(row, 3 + len(values) - 1)
        first = xlsxwriter.utility.xl_rowcol_to_cell(row, 3)
        quantities.write_formula(
            row, 3 + len(values), f"=SUM({first}:{last})", amount_total, float(entry.total)
        )
    quantities.set_column(0, 0, 14)
    quantities.set_column(1, 1, 44)
    quantities.set_column(2, 2, 8)
    quantities.set_column(3, 3 + len(result.months) + 1, 12)
    quantities.freeze_panes(3, 2)
    quantities.autofilter(2, 0, 2 + len(result.quantities), len(columns) - 1)
    for sheet in (revenue, quantities):
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
    workbook.close()
    return output.getvalue()


def forecast_response(result: Forecast) -> FileResponse:
    return FileResponse(
        io.BytesIO(forecast_workbook(result)),
        as_attachment=True,
        filename=f"{_('Forecast')}-{result.today:%Y-%m-%d}.xlsx",
        content_type=XLSX,
    )
