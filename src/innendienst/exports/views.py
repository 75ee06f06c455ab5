from __future__ import annotations

import tempfile
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from innendienst.core import registry
from innendienst.core.web import found_or_404
from innendienst.exports import selectors, services, writers
from innendienst.exports.models import ExportStatus


@require_GET
@login_required
def export(request: HttpRequest, kind_name: str, fmt: str) -> HttpResponse:
    """The list with the filter on screen, as a file: CSV streamed, a workbook written to a
    temporary file first (a zip cannot be streamed as it is written). A list too long to be
    written while the user waits goes to the worker, and its page has the download."""
    kind = services.export_kind_for(request.user, kind_name)
    try:
        records = kind.rows(request.user, request.GET)
    except ValidationError as exc:
        text = " ".join(exc.messages)
        return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
    export = services.export_asked(
        actor=request.user, kind=kind, fmt=fmt, params=request.GET, records=records
    )
    if export.status == ExportStatus.QUEUED:
        return redirect("export_detail", export.pk)
    return file_response(kind, fmt, records.iterator(chunk_size=writers.CHUNK))


def file_response(kind: registry.ExportKind, fmt: str, records: Iterator) -> HttpResponse:
    disposition = content_disposition_header(
        as_attachment=True, filename=writers.file_name(kind, fmt)
    )
    if fmt == "csv":
        response: HttpResponse = StreamingHttpResponse(
            writers.csv_lines(kind, records), content_type=writers.CONTENT_TYPES["csv"]
        )
    else:
        # FileResponse closes it once it is sent; the file is gone with it.
        output = tempfile.TemporaryFile()  # noqa: SIM115
        writers.write_xlsx(kind, records, output)
        output.seek(0)
        response = FileResponse(output, content_type=writers.CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = disposition
    return response


@require_GET
@login_required
def export_detail(request: HttpRequest, export_id: int) -> HttpResponse:
    export = found_or_404(selectors.export_get, request.user, export_id)
    kind = registry.export_kind(export.kind)
    running = export.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
    if request.htmx and request.htmx.target == "export-progress" and not running:
        return HttpResponse(status=204, headers={"HX-Refresh": "true"})
    template = "exports/export_detail.html"
    if request.htmx and request.htmx.target == "export-progress":
        template += "#progress"
    context = {"export": export, "kind": kind, "running": running}
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


@require_GET
@login_required
def export_file(request: HttpRequest, export_id: int) -> HttpResponse:
    export = found_or_404(selectors.export_get, request.user, export_id)
    if export.status != ExportStatus.DONE or not export.file:
        return redirect("export_detail", export.pk)
    try:
        handle = export.file.open("rb")
    except FileNotFoundError:
        return redirect("export_detail", export.pk)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=export.file_name,
        content_type=writers.CONTENT_TYPES.get(export.format, "application/octet-stream"),
    )
