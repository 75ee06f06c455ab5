from __future__ import annotations

import tempfile
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from innendienst.core import registry
from innendienst.exports import writers


@require_GET
@login_required
def export(request: HttpRequest, kind_name: str, fmt: str) -> HttpResponse:
    """The list with the filter on screen, as a file: CSV streamed, a workbook written to a
    temporary file first (a zip cannot be streamed as it is written)."""
    kind = registry.export_kind(kind_name)
    if kind is None or not kind.visible_to(request.user):
        raise PermissionDenied(_("Your role may not export this list."))
    try:
        records = kind.rows(request.user, request.GET)
    except ValidationError as exc:
        text = " ".join(exc.messages)
        return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
    response = file_response(kind, fmt, records.iterator(chunk_size=writers.CHUNK))
    return response


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
