"""Offers: the tracking list, the offer with its lines and totals, approvals, sending,
versions, won and lost."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from innendienst.accounts.access import is_manager
from innendienst.accounts.selectors import colleagues_for
from innendienst.catalog.models import UNIT_ABBREVIATIONS, DiscountLimit, Product
from innendienst.contacts.models import Company, Person
from innendienst.contacts.selectors import buying_center_of, company_get, people_for
from innendienst.core import registry
from innendienst.core.concurrency import PreconditionFailed
from innendienst.core.forms import add_service_errors, seen_values
from innendienst.core.paging import LimitedPaginator
from innendienst.core.templatetags.innendienst import exact_money, number, quantity, record_url
from innendienst.core.web import found_or_404, nav_section
from innendienst.offers import (
    charts,
    compare,
    documents,
    forecast,
    reports,
    selectors,
    services,
    winning,
)
from innendienst.offers.access import (
    can_write_offers,
    discount_limit_of,
    require_approver,
    require_offer_writer,
)
from innendienst.offers.forms import (
    ApprovalDecisionForm,
    ApprovalRequestForm,
    DiscountLimitsForm,
    LetterheadForm,
    LineForm,
    LoseForm,
    OfferForm,
    SendForm,
    TrackingForm,
    WinForm,
)
from innendienst.offers.letterhead import letterhead, letterhead_values
from innendienst.offers.models import DiscountApproval, Offer, OfferLine
from innendienst.offers.pdf import render_offer_pdf
from innendienst.offers.tasks import train_win_probability_now
from innendienst.offers.workbooks import forecast_response

HEADER_FIELDS = tuple(OfferForm.base_fields)


def _expected_version(request: HttpRequest) -> frozenset[int] | None:
    """The offer's version the page was built from (its forms carry it)."""
    value = request.POST.get("version", "")
    return frozenset({int(value)}) if value.isdigit() else None


def _changed_meanwhile(request: HttpRequest) -> None:
    messages.error(
        request,
        _("Meanwhile somebody else changed this offer. It is shown as it is now: please check it."),
    )


def _products() -> QuerySet[Product]:
    return Product.objects.filter(is_active=True).order_by("sku")


def _product_numbers() -> str:
    """The article numbers the line form suggests, as one datalist, joined here rather than
    rendered option by option."""
    return format_html_join(
        "", '<option value="{}">{}</option>', _products().values_list("sku", "name")
    )


def _contacts(request: HttpRequest, company: Company) -> QuerySet[Person]:
    return people_for(request.user).filter(company=company).order_by("last_name", "first_name")


def _offer_form(request: HttpRequest, company: Company, offer: Offer | None) -> OfferForm:
    currency = request.POST.get("currency") or (offer.currency if offer else company.currency)
    choices = {
        "contacts": _contacts(request, company),
        "owners": colleagues_for(request.user),
        "price_lists": selectors.price_lists_for_offer(currency),
    }
    if offer is not None:
        return OfferForm(request.POST or None, seen=seen_values(offer, HEADER_FIELDS), **choices)
    initial = {
        **selectors.offer_defaults(company, timezone.localdate()),
        "owner": request.user.pk,
    }
    initial["price_list"] = getattr(initial["price_list"], "pk", None)
    return OfferForm(request.POST or None, initial=initial, **choices)


@require_GET
@login_required
@nav_section("offers")
def offer_tracking(request: HttpRequest) -> HttpResponse:
    mine = request.GET.get("mine") == "1"
    offers = selectors.offer_tracking_list(request.user, mine=mine)
    page = LimitedPaginator(offers, selectors.TRACKING_ROWS).get_page(request.GET.get("page"))
    context = {
        "offers": page.object_list,
        "page": page,
        "mine": mine,
        "today": timezone.localdate(),
        "can_write": can_write_offers(request.user),
        "can_manage": is_manager(request.user),
    }
    return render(request, "offers/offer_tracking.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("offers")
def offer_create(request: HttpRequest, company_id: int) -> HttpResponse:
    company = found_or_404(company_get, request.user, company_id)
    require_offer_writer(request.user)
    form = _offer_form(request, company, None)
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.offer_create(
                actor=request.user, company=company, data=form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Offer created. Now add its lines."))
            return redirect("offer_detail", offer.pk)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "company": company, "offer": None}
    return render(request, "offers/offer_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("offers")
def offer_edit(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = found_or_404(selectors.offer_get, request.user, offer_id)
    require_offer_writer(request.user)
    form = _offer_form(request, offer.company, offer)
    if request.method == "POST" and form.is_valid():
        data, seen = form.changes()
        try:
            services.offer_update(actor=request.user, offer=offer, data=data, seen=seen)
        except ValidationError as exc:
            add_service_errors(form, exc)
            form.note_conflicts(exc, Offer.objects.get(pk=offer.pk))
        else:
            messages.success(request, _("Offer saved."))
            return redirect("offer_detail", offer.pk)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "company": offer.company, "offer": offer}
    return render(request, "offers/offer_form.html", context, status=status)


@dataclass(frozen=True)
class LineRow:
    """One line as the offer page prints it, formatted once here: a page of 50 lines would
    otherwise spend most of its time in the template's filters."""

    position: int
    sku: str
    description: str
    note: str
    quantity: str
    availability: str
    unit_price: str
    list_price: str
    discount: str
    net: str
    edit_url: str
    delete_url: str


def _availability(line: OfferLine) -> str:
    available = line.availability
    if available is None:
        return "–"
    if not available.later:
        return _("from stock")
    if not available.weeks:
        return _("on request")
    if available.from_stock:
        return ngettext(
            "%(stock)s from stock, %(later)s in %(weeks)s week",
            "%(stock)s from stock, %(later)s in %(weeks)s weeks",
            available.weeks,
        ) % {
            "stock": quantity(available.from_stock),
            "later": quantity(available.later),
            "weeks": available.weeks,
        }
    return ngettext("in %(weeks)s week", "in %(weeks)s weeks", available.weeks) % {
        "weeks": available.weeks
    }


def _line_rows(offer: Offer, priced: selectors.PricedOffer) -> list[LineRow]:
    currency = offer.currency
    rows = []
    for row in priced.lines:
        line = row.line
        deviates = line.list_price is not None and line.list_price != line.unit_price
        rows.append(
            LineRow(
                position=line.position,
                sku=line.product.sku if line.product else "–",
                description=line.description,
                note=line.note,
                quantity=f"{quantity(line.quantity)} {UNIT_ABBREVIATIONS[line.unit]}",
                availability=_availability(line),
                unit_price=exact_money(line.unit_price, currency),
                list_price=_("list %(price)s") % {"price": exact_money(line.list_price, currency)}
                if deviates
                else "",
                discount=f"{number(line.discount_percent, 2)} %" if line.discount_percent else "–",
                net=exact_money(row.amounts.net, currency),
                edit_url=record_url(line.pk, "offer_line_edit"),
                delete_url=record_url(line.pk, "offer_line_delete"),
            )
        )
    return rows


def _detail(request: HttpRequest, offer: Offer, **forms: Any) -> dict[str, Any]:
    user = request.user
    priced = selectors.priced(offer)
    discount = priced.totals.highest_discount_percent
    center = buying_center_of(user, offer.company)
    can_write = can_write_offers(user)
    return {
        "offer": offer,
        "priced": priced,
        "line_rows": _line_rows(offer, priced),
        "product_numbers": _product_numbers() if can_write and offer.is_editable else "",
        "revisions": selectors.revisions_of(offer),
        "approvals": list(offer.approvals.select_related("requested_by", "decided_by")),
        "pending_approval": selectors.pending_approval(offer),
        "approval_required": offer.is_editable
        and can_write
        and services.approval_required(user, offer, discount),
        "discount_limit": discount_limit_of(user),
        "decider_missing": center.decider_missing,
        "evaluator_missing": center.evaluator_missing,
        "can_write": can_write,
        "win_reasons": winning.explained(offer.win_reasons),
        # What other apps show of the offer (the expert requests).
        "panels": registry.record_page("offer", user, offer)["main"],
        "line_form": forms.get("line_form") or LineForm(products=_products(), prefix="line"),
        "send_form": forms.get("send_form") or SendForm(prefix="send"),
        "win_form": forms.get("win_form") or WinForm(prefix="win"),
        "lose_form": forms.get("lose_form") or LoseForm(prefix="lose"),
        "approval_form": forms.get("approval_form") or ApprovalRequestForm(prefix="approval"),
        "tracking_form": forms.get("tracking_form")
        or TrackingForm(
            prefix="tracking",
            owners=colleagues_for(user),
            initial={
                "follow_up_on": offer.follow_up_on,
                "expected_close_on": offer.expected_close_on,
                "owner": offer.owner_id,
            },
        ),
        "open_panel": forms.get("open_panel", ""),
    }


@require_GET
@login_required
@nav_section("offers")
def offer_detail(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = found_or_404(selectors.offer_get, request.user, offer_id)
    return render(request, "offers/offer_detail.html", _detail(request, offer))


def _detail_with_errors(request: HttpRequest, offer_id: int, **forms: Any) -> HttpResponse:
    offer = found_or_404(selectors.offer_get, request.user, offer_id)
    return render(request, "offers/offer_detail.html", _detail(request, offer, **forms), status=422)


@require_POST
@login_required
def offer_line_add(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = found_or_404(selectors.offer_get, request.user, offer_id)
    form = LineForm(request.POST, products=_products(), prefix="line")
    if form.is_valid():
        try:
            services.offer_line_add(
                actor=request.user,
                offer=offer,
                data=form.service_data(),
                expected_version=_expected_version(request),
            )
        except PreconditionFailed:
            # The new line stays on the form, to be added to the offer as it is now.
            _changed_meanwhile(request)
        except ValidationError as exc:
            if not _about_fields(exc, form):
                messages.error(request, " ".join(exc.messages))
                return redirect("offer_detail", offer.pk)
            add_service_errors(form, exc)
        else:
            return redirect("offer_detail", offer.pk)
    return _detail_with_errors(request, offer.pk, line_form=form, open_panel="line")


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("offers")
def offer_line_edit(request: HttpRequest, line_id: int) -> HttpResponse:
    line = found_or_404(selectors.line_get, request.user, line_id)
    require_offer_writer(request.user)
    initial = {
        "product": line.product.sku if line.product else "",
        "description": line.description,
        "quantity": line.quantity,
        "unit": line.unit,
        "unit_price": line.unit_price,
        "discount_percent": line.discount_percent,
        "note": line.note,
    }
    # A product sold no more stays on the line it is on.
    products = _products() | Product.objects.filter(pk=line.product_id)
    form = LineForm(request.POST or None, initial=initial, products=products)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        if "unit" in data and not data["unit"]:
            data["unit"] = line.product.unit if line.product else line.unit
        if "discount_percent" in data and data["discount_percent"] is None:
            data["discount_percent"] = Decimal(0)
        try:
            services.offer_line_update(
                actor=request.user,
                line=line,
                data=data,
                expected_version=_expected_version(request),
            )
        except PreconditionFailed:
            # What the user typed stays on the form; the page has the offer's new version.
            _changed_meanwhile(request)
            line.offer.refresh_from_db()
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Line saved."))
            return redirect("offer_detail", line.offer_id)
    status = 422 if request.method == "POST" else 200
    context = {
        "form": form,
        "line": line,
        "offer": line.offer,
        "product_numbers": _product_numbers(),
    }
    return render(request, "offers/line_form.html", context, status=status)


@require_POST
@login_required
def offer_line_delete(request: HttpRequest, line_id: int) -> HttpResponse:
    line = found_or_404(selectors.line_get, request.user, line_id)
    try:
        services.offer_line_delete(
            actor=request.user, line=line, expected_version=_expected_version(request)
        )
    except PreconditionFailed:
        _changed_meanwhile(request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Line removed."))
    return redirect("offer_detail", line.offer_id)


def _action(
    request: HttpRequest, offer_id: int, form_class: type, prefix: str, run: Any, done: str
) -> HttpResponse:
    """A button on the offer (send, win, lose, ask for approval): its form's errors come back
    at their fields on the offer page; a change meanwhile shows the offer as it is now."""
    offer = found_or_404(selectors.offer_get, request.user, offer_id)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            run(offer, form.cleaned_data, _expected_version(request))
        except PreconditionFailed:
            _changed_meanwhile(request)
            return redirect("offer_detail", offer.pk)
        except ValidationError as exc:
            if not _about_fields(exc, form):
                messages.error(request, " ".join(exc.messages))
                return redirect("offer_detail", offer.pk)
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("offer_detail", offer.pk)
    return _detail_with_errors(request, offer.pk, **{f"{prefix}_form": form, "open_panel": prefix})


def _about_fields(exc: ValidationError, form: Any) -> bool:
    """Whether an error belongs at a field of the form; one about the offer as a whole ("send
    it first") is a message on the offer's page."""
    names = getattr(exc, "error_dict", {})
    return any(name in form.fields or name.removesuffix("_id") in form.fields for name in names)


@require_POST
@login_required
def offer_send(request: HttpRequest, offer_id: int) -> HttpResponse:
    def run(offer: Offer, data: dict[str, Any], version: frozenset[int] | None) -> None:
        services.offer_send(
            actor=request.user,
            offer=offer,
            follow_up_on=data["follow_up_on"],
            expected_version=version,
        )

    done = _("Offer sent. The follow-up call is planned.")
    return _action(request, offer_id, SendForm, "send", run, done)


@require_POST
@login_required
def offer_win(request: HttpRequest, offer_id: int) -> HttpResponse:
    def run(offer: Offer, data: dict[str, Any], version: frozenset[int] | None) -> None:
        services.offer_win(
            actor=request.user,
            offer=offer,
            ordered_on=data["ordered_on"],
            expected_version=version,
        )

    return _action(request, offer_id, WinForm, "win", run, _("Won: the order is entered."))


@require_POST
@login_required
def offer_lose(request: HttpRequest, offer_id: int) -> HttpResponse:
    def run(offer: Offer, data: dict[str, Any], version: frozenset[int] | None) -> None:
        services.offer_lose(
            actor=request.user,
            offer=offer,
            reason=data["reason"],
            competitor=data["competitor"],
            note=data["note"],
            expected_version=version,
        )

    done = _("Marked as lost. A call to ask why is planned.")
    return _action(request, offer_id, LoseForm, "lose", run, done)


@require_POST
@login_required
def offer_approval_request(request: HttpRequest, offer_id: int) -> HttpResponse:
    def run(offer: Offer, data: dict[str, Any], version: frozenset[int] | None) -> None:
        services.discount_approval_request(
            actor=request.user, offer=offer, reason=data["reason"], expected_version=version
        )

    done = _("Approval requested. The approvers see it in their “My day”.")
    return _action(request, offer_id, ApprovalRequestForm, "approval", run, done)


@require_POST
@login_required
def offer_revise(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = found_or_404(selectors.offer_get, request.user, offer_id)
    try:
        offer = services.offer_revise(
            actor=request.user, offer=offer, expected_version=_expected_version(request)
        )
    except PreconditionFailed:
        _changed_meanwhile(request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Version %(revision)s started: change it and send it again.")
            % {"revision": offer.revision},
        )
    return redirect("offer_detail", offer.pk)


@require_POST
@login_required
def approval_decide(request: HttpRequest, approval_id: int) -> HttpResponse:
    require_approver(request.user)
    approval: DiscountApproval = found_or_404(selectors.approval_get, request.user, approval_id)
    form = ApprovalDecisionForm(request.POST)
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        return HttpResponseBadRequest(_("Approve or refuse."))
    approve = decision == "approve"
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.discount_approval_decide(
            actor=request.user, approval=approval, approve=approve, note=note
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Discount approved.") if approve else _("Discount refused."))
    return redirect("offer_detail", approval.offer_id)


@require_GET
@login_required
@nav_section("offers")
def offer_revision(request: HttpRequest, revision_id: int) -> HttpResponse:
    revision = found_or_404(selectors.revision_get, request.user, revision_id)
    offer = revision.offer
    revisions = selectors.revisions_of(offer)
    previous = next((r for r in revisions if r.number == revision.number - 1), None)
    context = {
        "offer": offer,
        "revision": revision,
        "revisions": revisions,
        "document": revision.document,
        "changes": compare.lines(previous.document, revision.document) if previous else None,
        "previous": previous,
    }
    return render(request, "offers/offer_revision.html", context)


def _pdf_response(document: dict[str, Any], filename: str) -> HttpResponse:
    response = HttpResponse(
        render_offer_pdf(document, letterhead()), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
@login_required
def offer_pdf(request: HttpRequest, offer_id: int) -> HttpResponse:
    """The offer as the customer gets it: a draft as it would go out today, a sent offer as
    its last version went out."""
    offer = found_or_404(selectors.offer_get, request.user, offer_id)
    revisions = selectors.revisions_of(offer)
    if offer.is_editable or not revisions:
        # A draft, or one lost before it was ever sent: as it stands.
        document = documents.document_of(offer, selectors.priced(offer), timezone.localdate())
    else:
        document = revisions[-1].document
    return _pdf_response(document, f"{offer.number}-v{document['revision']}.pdf")


@require_GET
@login_required
def revision_pdf(request: HttpRequest, revision_id: int) -> HttpResponse:
    revision = found_or_404(selectors.revision_get, request.user, revision_id)
    return _pdf_response(revision.document, f"{revision.offer.number}-v{revision.number}.pdf")


@require_GET
@login_required
@nav_section("offers")
def offer_forecast(request: HttpRequest) -> HttpResponse:
    result = forecast.forecast(selectors.offers_for(request.user))
    context = {
        "forecast": result,
        "chart": charts.forecast_chart(result.months),
        "quantities": result.quantities[: selectors.FORECAST_PRODUCTS],
        "more_products": len(result.quantities) > selectors.FORECAST_PRODUCTS,
        "can_manage": is_manager(request.user),
    }
    return render(request, "offers/forecast.html", context)


@require_GET
@login_required
def offer_forecast_export(request: HttpRequest) -> FileResponse:
    return forecast_response(forecast.forecast(selectors.offers_for(request.user)))


@require_GET
@login_required
@nav_section("offers")
def offer_analysis(request: HttpRequest) -> HttpResponse:
    months = request.GET.get("months", "")
    months = int(months) if months.isdigit() and int(months) in reports.PERIODS else None
    months = months or reports.DEFAULT_PERIOD
    today = timezone.localdate()
    context = {
        "analysis": reports.analysis(selectors.offers_for(request.user), today, months),
        "periods": reports.PERIODS,
        "can_manage": is_manager(request.user),
    }
    return render(request, "offers/analysis.html", context)


@require_POST
@login_required
def win_model_train(request: HttpRequest) -> HttpResponse:
    if not is_manager(request.user):
        raise PermissionDenied(_("Only management trains the win probability."))
    train_win_probability_now()
    messages.success(
        request,
        _("The win probability is being learnt from the closed offers; the page shows it soon."),
    )
    return redirect("offer_analysis")


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("offers")
def letterhead_edit(request: HttpRequest) -> HttpResponse:
    if not is_manager(request.user):
        raise PermissionDenied(_("Only management sets the letterhead."))
    form = LetterheadForm(request.POST or None, initial=letterhead_values())
    if request.method == "POST" and form.is_valid():
        try:
            services.letterhead_save(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Letterhead saved: the next documents carry it."))
            return redirect("letterhead_edit")
    status = 422 if request.method == "POST" else 200
    return render(request, "offers/letterhead_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("offers")
def discount_limits_edit(request: HttpRequest) -> HttpResponse:
    if not is_manager(request.user):
        raise PermissionDenied(_("Only management sets the discount limits."))
    current = dict(DiscountLimit.objects.values_list("role", "max_percent"))
    form = DiscountLimitsForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.discount_limits_save(actor=request.user, limits=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Discount limits saved."))
            return redirect("discount_limits_edit")
    status = 422 if request.method == "POST" else 200
    return render(request, "offers/discount_limits_form.html", {"form": form}, status=status)


@require_POST
@login_required
def offer_track(request: HttpRequest, offer_id: int) -> HttpResponse:
    """A sent offer's follow-up date, expected decision and responsible rep."""
    offer = found_or_404(selectors.offer_get, request.user, offer_id)
    form = TrackingForm(request.POST, prefix="tracking", owners=colleagues_for(request.user))
    if form.is_valid():
        data = {
            name: form.cleaned_data[name]
            for name in ("follow_up_on", "expected_close_on", "owner")
            if form.cleaned_data[name] != getattr(offer, name)
        }
        try:
            services.offer_update(
                actor=request.user,
                offer=offer,
                data=data,
                expected_version=_expected_version(request),
            )
        except PreconditionFailed:
            _changed_meanwhile(request)
            return redirect("offer_detail", offer.pk)
        except ValidationError as exc:
            if not _about_fields(exc, form):
                messages.error(request, " ".join(exc.messages))
                return redirect("offer_detail", offer.pk)
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Offer saved."))
            return redirect("offer_detail", offer.pk)
    return _detail_with_errors(request, offer.pk, tracking_form=form, open_panel="tracking")
