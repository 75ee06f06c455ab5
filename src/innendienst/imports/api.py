"""/api/v1/imports: upload a file to import, follow it, fetch its rows with errors, undo it —
the Importe pages for scripts (an ERP's nightly export)."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from innendienst.core import registry
from innendienst.core.api import BODY_RESPONSES, ERROR_RESPONSES, Conflict, Pagination, Problem
from innendienst.imports import selectors, services, workbooks
from innendienst.imports.models import Import

router = Router(tags=["imports"])


class ColumnOut(Schema):
    header: str
    field: str = Field(description="The field the column fills; empty when it is left out")


class ImportOut(Schema):
    id: int
    kind: str = Field(description="What the file is imported as: companies, people, …")
    file_name: str
    file_sha256: str
    status: str = Field(description="draft, queued, running, done, failed or undone")
    total_rows: int = Field(description="Rows of the file below its header")
    rows: int = Field(description="Rows done so far")
    counts: dict[str, int] = Field(
        description="Rows by outcome: new, update, duplicate, possible_duplicate, error"
    )
    columns: list[ColumnOut]
    constants: dict[str, Any] = Field(description="Fields filled with one value for every row")
    failure: str
    created_by_id: int
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    undone_at: datetime.datetime | None

    @staticmethod
    def resolve_kind(run: Import) -> str:
        return run.target

    @staticmethod
    def resolve_counts(run: Import) -> dict[str, int]:
        return {outcome.value: run.counts.get(outcome.value, 0) for outcome in registry.RowOutcome}

    @staticmethod
    def resolve_columns(run: Import) -> list[dict[str, str]]:
        return [
            {"header": header, "field": name}
            for header, name in zip(run.headers, run.mapping, strict=False)
        ]


@router.get(
    "/imports",
    response={200: list[ImportOut], **ERROR_RESPONSES},
    summary="List your imports, newest first",
)
@paginate(Pagination, page_size=50, max_page_size=200)
def list_imports(request: HttpRequest):
    return selectors.imports_for(request.user).defer(None)


@router.post(
    "/imports",
    response={202: ImportOut, **BODY_RESPONSES},
    summary="Upload a file and import it in the background",
    description=(
        "A multipart form: `file` (CSV in any delimiter and encoding, XLSX, XLS or ODS), "
        "`kind` (companies, people, …), optionally `mapping` — `auto` (a saved mapping of "
        "the same headers, else one proposed from headers and values), the name of a saved "
        'mapping, or a JSON object {"header": "field"} — `constants` as a JSON object '
        '{"field": "value"} (e.g. {"company_source": "Messe"}), `sheet`, and '
        "`all_or_nothing` (import nothing if a row has errors). Follow the import with "
        "GET /imports/{id}."
    ),
)
def create_import(
    request: HttpRequest,
    file: File[UploadedFile],
    kind: Form[str],
    mapping: Form[str] = "auto",
    constants: Form[str] = "{}",
    sheet: Form[str] = "",
    all_or_nothing: Form[bool] = False,
):
    values = _json_object(constants, "constants")
    choice = _json_object(mapping, "mapping") if mapping.lstrip().startswith("{") else mapping
    try:
        run = services.import_create(
            actor=request.user,
            file=file.file,
            file_name=file.name or "",
            target_name=kind,
            mapping=choice,
            constants=values,
            sheet=sheet,
            all_or_nothing=all_or_nothing,
        )
    except ValidationError as exc:
        raise ValidationError(
            {_api_field(kind, name): messages for name, messages in exc.message_dict.items()}
        ) from exc
    return Status(202, run)


def _api_field(kind: str, name: str) -> str:
    """A service's field as the client sent it: the kind, a value in ``constants``."""
    if name == "target":
        return "kind"
    target = registry.import_target(kind)
    return f"constants.{name}" if target and target.field(name) else name


def _json_object(text: str, field: str) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ValidationError({field: _('Send a JSON object of texts, e.g. {"a": "b"}.')})
    return value


@router.get(
    "/imports/{import_id}",
    response={200: ImportOut, **ERROR_RESPONSES},
    summary="Get an import: its status, progress and counts",
)
def get_import(request: HttpRequest, import_id: int):
    return selectors.import_get(request.user, import_id)


@router.get(
    "/imports/{import_id}/errors",
    response={200: None, **ERROR_RESPONSES},
    summary="The rows with errors as an Excel workbook, with a column of what was wrong",
    openapi_extra={"responses": {200: {"description": "XLSX", "content": {workbooks.XLSX: {}}}}},
)
def get_import_errors(request: HttpRequest, import_id: int) -> HttpResponse:
    return workbooks.error_rows_response(selectors.import_get(request.user, import_id))


@router.post(
    "/imports/{import_id}/undo",
    response={200: ImportOut, **ERROR_RESPONSES, 409: Problem},
    summary="Undo a finished import",
)
def undo_import(request: HttpRequest, import_id: int):
    run = selectors.import_get(request.user, import_id)
    try:
        return services.import_undo(actor=request.user, run=run)
    except services.CannotUndo as exc:
        raise Conflict(str(exc)) from exc
