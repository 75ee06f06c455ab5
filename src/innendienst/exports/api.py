"""``GET /api/v1/exports/<list>``: every export kind as CSV or XLSX for scripts, with the list's
own filter parameters (those of ``GET /api/v1/<list>``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router

from innendienst.core import registry
from innendienst.core.api import ERROR_RESPONSES
from innendienst.exports import services, views, writers

router = Router(tags=["exports"])


def _operation(kind: registry.ExportKind) -> Callable[..., HttpResponse]:
    def export(request: HttpRequest, format: Literal["csv", "xlsx"] = "csv") -> HttpResponse:
        services.export_kind_for(request.user, kind.name)
        records = kind.rows(request.user, request.GET)
        return views.file_response(kind, format, records.iterator(chunk_size=writers.CHUNK))

    return export


for _kind in registry.export_kinds():
    router.add_api_operation(
        f"/exports/{_kind.path}",
        ["GET"],
        _operation(_kind),
        response={200: None, **ERROR_RESPONSES},
        operation_id=f"export_{_kind.name}",
        summary=f"Export {_kind.name} as CSV or XLSX",
        description=(
            "The list with the same filter parameters as its list operation, as CSV (UTF-8 with "
            "BOM, semicolons, decimal commas: for a German Excel) or as an XLSX workbook."
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
