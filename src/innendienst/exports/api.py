"""``GET /api/v1/exports/<list>``: every export kind as CSV or XLSX for scripts, with the list's
own filter parameters (those of ``GET /api/v1/<list>``). A list too long to be written within a
request is written by the worker: the answer is 202 with the export job, whose file is fetched
from ``/exports/jobs/{id}/file`` once it is done."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, Literal

from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from innendienst.core import registry
from innendienst.core.api import ERROR_RESPONSES, Conflict, Problem
from innendienst.exports import selectors, services, views, writers
from innendienst.exports.models import Export, ExportStatus

router = Router(tags=["exports"])


class ExportJobOut(Schema):
    id: int
    kind: str = Field(description="The list: companies, people, …")
    format: str
    status: str = Field(description="queued, running, done or failed")
    total_rows: int = Field(description="Rows of the list when it was asked for")
    rows: int = Field(description="Rows written so far")
    failure: str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    file_url: str | None = Field(description="Where the file is fetched once it is done")

    @staticmethod
    def resolve_file_url(export: Export) -> str | None:
        if export.status != ExportStatus.DONE or not export.file:
            return None
        return reverse("api:export_job_file", args=[export.pk])


def _operation(kind: registry.ExportKind) -> Callable[..., Any]:
    def export(request: HttpRequest, format: Literal["csv", "xlsx"] = "csv") -> Any:
        services.export_kind_for(request.user, kind.name)
        records = kind.rows(request.user, request.GET)
        export = services.export_asked(
            actor=request.user, kind=kind, fmt=format, params=request.GET, records=records
        )
        if export.status == ExportStatus.QUEUED:
            return Status(202, export)
        return views.file_response(kind, format, records.iterator(chunk_size=writers.CHUNK))

    return export


@router.get(
    "/exports/jobs/{export_id}",
    response={200: ExportJobOut, **ERROR_RESPONSES},
    summary="An export written by the worker: its progress, and its file's address when done",
)
def get_export_job(request: HttpRequest, export_id: int):
    return selectors.export_get(request.user, export_id)


@router.get(
    "/exports/jobs/{export_id}/file",
    response={200: None, **ERROR_RESPONSES, 409: Problem},
    url_name="export_job_file",
    summary="The file of an export written by the worker",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file",
                "content": {content: {} for content in writers.CONTENT_TYPES.values()},
            }
        }
    },
)
def get_export_job_file(request: HttpRequest, export_id: int) -> HttpResponse:
    export = selectors.export_get(request.user, export_id)
    if export.status != ExportStatus.DONE or not export.file:
        raise Conflict(_not_ready(export))
    try:
        handle = export.file.open("rb")
    except FileNotFoundError as exc:
        raise Conflict(_not_ready(export)) from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=export.file_name,
        content_type=writers.CONTENT_TYPES.get(export.format, "application/octet-stream"),
    )


def _not_ready(export: Export) -> str:
    if export.status == ExportStatus.FAILED:
        return _("The export failed: %(reason)s") % {"reason": export.failure}
    if export.status == ExportStatus.DONE:
        return _("The file has been removed; ask for the list again.")
    return _("The file is still being written (%(rows)s of %(total)s rows).") % {
        "rows": export.rows,
        "total": export.total_rows,
    }


for _kind in registry.export_kinds():
    router.add_api_operation(
        f"/exports/{_kind.path}",
        ["GET"],
        _operation(_kind),
        response={200: None, 202: ExportJobOut, **ERROR_RESPONSES},
        operation_id=f"export_{_kind.name}",
        summary=f"Export {_kind.name} as CSV or XLSX",
        description=(
            "The list with the same filter parameters as its list operation, as CSV (UTF-8 with "
            "BOM, semicolons, decimal commas: for a German Excel) or as an XLSX workbook. A list "
            "longer than the server writes while a request waits (EXPORT_DIRECT_ROWS) is written "
            "by the worker: the answer is 202 with the export job to poll."
        ),
        openapi_extra={
            "responses": {
                200: {
                    "description": "The file",
                    "content": {content: {} for content in writers.CONTENT_TYPES.values()},
                }
            }
        },
    )
