"""Importe: the list of imports, the upload, the draft's mapping and preview, the running
import's progress, and the finished import's summary, error rows and undo."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from innendienst.core import registry
from innendienst.core.forms import add_service_errors
from innendienst.core.web import found_or_404, nav_section
from innendienst.imports import pipeline, selectors, services, workbooks
from innendienst.imports.access import may_undo, require_uploader
from innendienst.imports.forms import MappingForm, UploadForm
from innendienst.imports.models import Import, ImportStatus, SavedMapping
from innendienst.imports.readers import UnreadableFile

# Rows checked for a draft's preview: enough to see the mapping work, fast for any file.
PREVIEW_ROWS = 50
ERRORS_SHOWN = 100
OUTCOME_TONES = {
    registry.RowOutcome.NEW: "ok",
    registry.RowOutcome.UPDATE: "info",
    registry.RowOutcome.DUPLICATE: "muted",
    registry.RowOutcome.POSSIBLE_DUPLICATE: "warn",
    registry.RowOutcome.ERROR: "bad",
}


@require_GET
@login_required
@nav_section("imports")
def import_list(request: HttpRequest) -> HttpResponse:
    imports = Paginator(selectors.imports_for(request.user), 50).get_page(request.GET.get("page"))
    context = {
        "page": imports,
        "rows": [
            (
                run,
                _target_label(run.target),
                [run.counts.get(outcome.value, 0) for outcome in registry.RowOutcome],
            )
            for run in imports
        ],
        "can_import": bool(registry.import_targets_for(request.user)),
        "outcomes": list(registry.RowOutcome),
    }
    return render(request, "imports/import_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("imports")
def import_new(request: HttpRequest) -> HttpResponse:
    targets = registry.import_targets_for(request.user)
    if not targets:
        raise PermissionDenied(_("Your role may not import records."))
    initial = {"target": request.GET.get("kind", targets[0].name)}
    form = UploadForm(request.POST or None, request.FILES or None, targets=targets, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = services.import_upload(
                actor=request.user,
                file=upload.file,
                file_name=upload.name,
                target_name=form.cleaned_data["target"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("import_detail", run.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "imports/import_new.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("imports")
def import_detail(request: HttpRequest, import_id: int) -> HttpResponse:
    run = found_or_404(selectors.import_get, request.user, import_id)
    if run.status == ImportStatus.DRAFT:
        return _draft(request, run)
    if request.method == "POST":
        return redirect("import_detail", run.pk)
    if request.htmx and request.htmx.target == "import-progress":
        if run.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
            # Finished: the whole page, with its summary, errors and undo.
            response = HttpResponse(status=204, headers={"HX-Refresh": "true"})
        else:
            context = _result_context(request, run)
            response = render(request, "imports/import_detail.html#progress", context)
    else:
        response = render(request, "imports/import_detail.html", _result_context(request, run))
    # One URL, two answers: the browser's back button must not show the bare progress bar.
    response["Vary"] = "HX-Request"
    return response


def _result_context(request: HttpRequest, run: Import) -> dict[str, Any]:
    target = registry.import_target(run.target)
    error_rows = [
        {
            "number": row.number,
            "errors": workbooks.labelled_errors(run, target, row.errors),
        }
        for row in selectors.error_rows(run)[:ERRORS_SHOWN]
    ]
    return {
        "run": run,
        "target": target,
        "counts": [(o, OUTCOME_TONES[o], run.counts.get(o.value, 0)) for o in registry.RowOutcome],
        "error_rows": error_rows,
        "errors_total": run.counts.get(registry.RowOutcome.ERROR.value, 0),
        "may_undo": run.status == ImportStatus.DONE and may_undo(request.user, run),
    }


def _target_label(name: str) -> str:
    target = registry.import_target(name)
    return str(target.label) if target else name


def _draft(request: HttpRequest, run: Import) -> HttpResponse:
    """The mapping form and what the first rows would become. Saving a mapping and starting
    keep the form's mapping first, so nothing chosen is lost; discarding needs no valid form."""
    require_uploader(request.user, run)
    target = registry.import_target(run.target)
    saved_mappings = list(selectors.saved_mappings_for(request.user, run.target))
    form = MappingForm(request.POST or None, run=run, target=target, saved_mappings=saved_mappings)
    action = request.POST.get("action", "")
    if request.method == "POST" and (action == "discard" or form.is_valid()):
        try:
            response = _draft_action(request, run, form, action)
        except ValidationError as exc:
            if not Import.objects.filter(pk=run.pk, status=ImportStatus.DRAFT).exists():
                # Started (a double click) or discarded in another tab meanwhile.
                if action == "discard":
                    return redirect("import_list")
                return redirect("import_detail", run.pk)
            for name, errors in exc.message_dict.items():
                form.add_service_error(name, errors)
        else:
            if response is not None:
                return response
            return redirect("import_detail", run.pk)
    context = {
        "run": run,
        "target": target,
        "form": form,
        "saved_mappings": saved_mappings,
        "earlier": selectors.earlier_import_of_same_file(request.user, run),
    }
    context.update(_preview(request, run, target))
    samples = context.get("samples") or [[] for _header in run.headers]
    context["mapping_rows"] = list(zip(form.column_fields(), samples, strict=True))
    status = 422 if request.method == "POST" else 200
    return render(request, "imports/import_draft.html", context, status=status)


def _draft_action(
    request: HttpRequest, run: Import, form: MappingForm, action: str
) -> HttpResponse | None:
    if action == "discard":
        services.import_discard(actor=request.user, run=run)
        messages.success(request, _("The upload was discarded."))
        return redirect("import_list")
    if form.cleaned_data["sheet_read"] != run.sheet:
        # The form was shown for another sheet (a second tab): its columns are not these.
        raise ValidationError(
            {"mapping": _("The file's sheet was changed meanwhile; check the mapping again.")}
        )
    if action == "sheet":
        services.import_choose_sheet(
            actor=request.user, run=run, sheet=request.POST.get("sheet", "")
        )
        return None
    if action == "apply":
        saved = _saved_mapping(request, run, form.cleaned_data["saved_mapping"])
        services.import_configure(
            actor=request.user,
            run=run,
            mapping=services.mapping_applied(saved, run.headers),
            constants=dict(saved.constants),
        )
        messages.success(request, _("Mapping “%(name)s” applied.") % {"name": saved.name})
        return None
    run = services.import_configure(
        actor=request.user, run=run, mapping=form.mapping(), constants=form.constants()
    )
    if action == "save_mapping":
        saved = services.mapping_save(
            actor=request.user,
            run=run,
            name=form.cleaned_data["mapping_name"],
            for_team=form.cleaned_data["for_team"],
        )
        messages.success(request, _("Mapping saved as “%(name)s”.") % {"name": saved.name})
    elif action == "start":
        services.import_start(
            actor=request.user, run=run, all_or_nothing=form.cleaned_data["all_or_nothing"]
        )
        messages.success(request, _("The import has started."))
    return None


def _saved_mapping(request: HttpRequest, run: Import, mapping_id: int | None) -> SavedMapping:
    try:
        return selectors.saved_mapping_get(request.user, run.target, mapping_id)
    except SavedMapping.DoesNotExist:
        raise ValidationError({"saved_mapping": _("Choose a saved mapping.")}) from None


def _preview(request: HttpRequest, run: Import, target: registry.ImportTarget) -> dict[str, Any]:
    try:
        with run.file.open("rb") as file:
            report = pipeline.check_file(
                request.user,
                file,
                target,
                mapping=run.mapping,
                constants=run.constants,
                sheet=run.sheet,
                limit=PREVIEW_ROWS,
            )
    except (UnreadableFile, pipeline.InvalidMapping) as exc:
        return {"preview_error": str(exc)}
    except OSError:
        return {"preview_error": _("The uploaded file is gone; upload it again.")}
    shown = [target.field(name) for name in [*run.mapping, *run.constants] if name]
    rows = [
        {
            "number": row.number,
            "outcome": row.check.outcome,
            "tone": OUTCOME_TONES[row.check.outcome],
            "record": row.check.record,
            "twin": row.check.twin,
            "reasons": row.check.reasons,
            "values": [_shown(row.values.get(f.name)) for f in shown],
            "errors": workbooks.labelled_errors(run, target, row.check.errors),
        }
        for row in report.preview
    ]
    samples = [
        [_shown(row.cells[c]) if c < len(row.cells) else "" for row in report.preview[:3]]
        for c in range(len(run.headers))
    ]
    return {
        "table": report.table,
        "columns": [f.label for f in shown],
        "preview_rows": rows,
        "preview_counts": [(o, OUTCOME_TONES[o], report.outcomes[o]) for o in registry.RowOutcome],
        "samples": samples,
    }


def _shown(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@require_POST
@login_required
def import_undo(request: HttpRequest, import_id: int) -> HttpResponse:
    run = found_or_404(selectors.import_get, request.user, import_id)
    try:
        services.import_undo(actor=request.user, run=run)
    except services.CannotUndo as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The import was undone."))
    return redirect("import_detail", run.pk)


@require_GET
@login_required
def import_errors(request: HttpRequest, import_id: int) -> HttpResponse:
    run = found_or_404(selectors.import_get, request.user, import_id)
    return workbooks.error_rows_response(run)
