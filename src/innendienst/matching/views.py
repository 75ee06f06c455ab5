"""Dubletten: the hints under the forms while typing, the review queue of the scan, the side
by side comparison with the merge, and the merges with their undo."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from innendienst.accounts.access import require_master_data_editor
from innendienst.contacts import selectors as contacts
from innendienst.core.web import found_or_404, nav_section
from innendienst.matching import merges, scans, selectors
from innendienst.matching.models import Merge, RecordKind, Scan, Weights
from innendienst.matching.profiles import COMPANY_FIELDS, PERSON_FIELDS

QUEUES = {
    RecordKind.COMPANY: "duplicate_queue_company",
    RecordKind.PERSON: "duplicate_queue_person",
}


def _edited(request: HttpRequest) -> int | None:
    """The record the form edits: no duplicate of itself."""
    value = request.POST.get("duplicate_check_record", "")
    return int(value) if value.isdigit() else None


def _values(request: HttpRequest, names: tuple[str, ...]) -> dict[str, str]:
    return {name: request.POST.get(name, "") for name in names if name not in ("id", "company_id")}


@require_POST
@login_required
def company_hints(request: HttpRequest) -> HttpResponse:
    require_master_data_editor(request.user)
    matches = selectors.company_matches(
        request.user, _values(request, COMPANY_FIELDS), exclude=_edited(request)
    )
    return render(request, "matching/_hints.html", {"matches": matches})


@require_POST
@login_required
def person_hints(request: HttpRequest, company_id: int) -> HttpResponse:
    require_master_data_editor(request.user)
    company = found_or_404(contacts.company_get, request.user, company_id)
    matches = selectors.person_matches(
        request.user, _values(request, PERSON_FIELDS), company, exclude=_edited(request)
    )
    return render(request, "matching/_hints.html", {"matches": matches})


@require_GET
@login_required
@nav_section("duplicates")
def queue(request: HttpRequest, kind: str) -> HttpResponse:
    require_master_data_editor(request.user)
    page, clusters = selectors.review_queue(request.user, kind, request.GET.get("page"))
    context = {
        "kind": kind,
        "kinds": [(RecordKind(k), QUEUES[k]) for k in QUEUES],
        "page": page,
        "clusters": clusters,
        "scan": Scan.objects.filter(kind=kind).first(),
        "weights": Weights.objects.filter(kind=kind).first(),
        "may_scan": scans.may_scan(request.user),
    }
    if request.htmx and request.htmx.target == "scan-status":
        return render(request, "matching/queue.html#scan_status", context)
    return render(request, "matching/queue.html", context)


@require_POST
@login_required
def scan_start(request: HttpRequest, kind: str) -> HttpResponse:
    try:
        scans.scan_start(actor=request.user, kind=kind, full=request.POST.get("full") == "1")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The scan has started; the queue fills when it is done."))
    return redirect(QUEUES[kind])


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("duplicates")
def pair_compare(request: HttpRequest, pair_id: int) -> HttpResponse:
    """Both records side by side, a choice per field where they differ; merge or decide that
    they are two."""
    require_master_data_editor(request.user)
    pair = found_or_404(selectors.pair_get, request.user, pair_id)
    comparison = selectors.pair_comparison(request.user, pair)
    if request.method == "POST":
        choices = {
            row.name: int(request.POST[f"field_{row.name}"])
            for row in comparison.rows
            if request.POST.get(f"field_{row.name}", "").isdigit()
        }
        try:
            [merge, *_more] = merges.pair_merge(
                actor=request.user,
                pair_id=pair.pk,
                survivor_id=request.POST.get("survivor", ""),
                choices=choices,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("Merged. A wrong merge is undone under Duplicates → Merges.")
            )
            kept = comparison.left if merge.survivor_id == pair.left_id else comparison.right
            return redirect(kept.get_absolute_url())
    context = {"pair": pair, "comparison": comparison, "queue": QUEUES[pair.kind]}
    return render(request, "matching/pair.html", context)


@require_POST
@login_required
def pair_reject(request: HttpRequest, pair_id: int) -> HttpResponse:
    pair = found_or_404(selectors.pair_get, request.user, pair_id)
    try:
        merges.pair_reject(actor=request.user, kind=pair.kind, pair_id=pair.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Noted: no duplicate. The pair will not come back."))
    return redirect(QUEUES[pair.kind])


@require_GET
@login_required
@nav_section("duplicates")
def merge_list(request: HttpRequest) -> HttpResponse:
    require_master_data_editor(request.user)
    context: dict[str, Any] = {"rows": selectors.merges_for(request.user)}
    return render(request, "matching/merges.html", context)


@require_POST
@login_required
def merge_undo(request: HttpRequest, merge_id: int) -> HttpResponse:
    merge: Merge = found_or_404(selectors.merge_get, request.user, merge_id)
    try:
        kept = merges.merge_undo(actor=request.user, merge=merge)
    except merges.CannotUndo as exc:
        messages.error(request, str(exc))
        return redirect("duplicate_merges")
    if kept:
        messages.warning(
            request,
            _("The merge was undone. Changed since, and so kept: %(fields)s.")
            % {"fields": ", ".join(kept)},
        )
    else:
        messages.success(request, _("The merge was undone."))
    return redirect(selectors.restored_url(merge))
