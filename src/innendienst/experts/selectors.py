"""Reads of the expert directory and of the expert requests, scoped by the user.

The directory (who knows what) is no company data: every active user reads it. A request is
seen by whoever sees its offer, and by the expert it asks — he answers it without seeing the
rest of the customer's records.
"""

from __future__ import annotations

import datetime

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    When,
)
from django.db.models import Value as V

from innendienst.accounts.access import is_manager
from innendienst.accounts.models import User
from innendienst.catalog.models import ProductGroup
from innendienst.contacts.models import Industry
from innendienst.experts.access import can_maintain_directory
from innendienst.experts.models import Expert, ExpertRequest, ExpertRequestStatus
from innendienst.offers.models import Offer, OfferLine
from innendienst.offers.selectors import offers_for

# The expert's list shows every open request and the latest ones he has dealt with.
CLOSED_ROWS = 20
SUGGESTIONS = 5


def experts_for(user: User) -> QuerySet[Expert]:
    """The directory: its active entries for everybody; the maintainers also see the
    inactive ones, to take them up again."""
    experts = Expert.objects.all()
    if not user.is_active:
        return experts.none()
    if can_maintain_directory(user):
        return experts
    return experts.filter(active=True, user__is_active=True)


def _directory(experts: QuerySet[Expert]) -> QuerySet[Expert]:
    return (
        experts.select_related("user")
        .prefetch_related(
            Prefetch("product_groups", queryset=ProductGroup.objects.order_by("name")),
            Prefetch("industries", queryset=Industry.objects.order_by("name")),
        )
        .annotate(
            open_requests=Count("requests", filter=Q(requests__status=ExpertRequestStatus.OPEN))
        )
        .order_by("user__last_name", "user__first_name", "id")
    )


def _knows(word: str) -> Q:
    """Where a word of the search may stand: the expert's name, area, topics, note, or the
    name or code of one of his product groups or industries."""
    groups = Expert.product_groups.through.objects.filter(expert_id=OuterRef("pk")).filter(
        Q(productgroup__name__icontains=word) | Q(productgroup__code__iexact=word)
    )
    industries = Expert.industries.through.objects.filter(
        expert_id=OuterRef("pk"), industry__name__icontains=word
    )
    return (
        Q(user__first_name__icontains=word)
        | Q(user__last_name__icontains=word)
        | Q(area__icontains=word)
        | Q(topics__icontains=word)
        | Q(note__icontains=word)
        | Exists(groups)
        | Exists(industries)
    )


def expert_search(
    user: User,
    query: str = "",
    product_group: ProductGroup | None = None,
    industry: Industry | None = None,
) -> QuerySet[Expert]:
    """Who knows what: every word of ``query`` found somewhere in the entry, narrowed to the
    experts of a product group and of an industry; each with his open requests."""
    experts = experts_for(user)
    for word in query.split():
        experts = experts.filter(_knows(word))
    if product_group is not None:
        experts = experts.filter(
            Exists(
                Expert.product_groups.through.objects.filter(
                    expert_id=OuterRef("pk"), productgroup_id=product_group.pk
                )
            )
        )
    if industry is not None:
        experts = experts.filter(
            Exists(
                Expert.industries.through.objects.filter(
                    expert_id=OuterRef("pk"), industry_id=industry.pk
                )
            )
        )
    return _directory(experts)


def expert_get(user: User, expert_id: int) -> Expert:
    return experts_for(user).select_related("user").get(pk=expert_id)


def askable_experts(user: User) -> QuerySet[Expert]:
    """Whom a request can go to: the active entries of active colleagues, not oneself."""
    return (
        Expert.objects.filter(active=True, user__is_active=True)
        .exclude(user_id=user.pk)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "id")
    )


def suggested_experts(user: User, offer: Offer, limit: int = SUGGESTIONS) -> list[Expert]:
    """The experts for this offer, best first: those who know most of the product groups of
    its lines, then who also knows the customer's industry, then who has fewer open requests
    (the work is shared)."""
    groups = OfferLine.objects.filter(offer_id=offer.pk, product__isnull=False).values(
        "product__group_id"
    )
    industry_known = (
        Case(
            When(
                Exists(
                    Expert.industries.through.objects.filter(
                        expert_id=OuterRef("pk"), industry_id=offer.company.industry_id
                    )
                ),
                then=V(1),
            ),
            default=V(0),
            output_field=IntegerField(),
        )
        if offer.company.industry_id is not None
        else V(0)
    )
    experts = (
        askable_experts(user)
        .annotate(
            matches=Count("product_groups", filter=Q(product_groups__in=groups), distinct=True),
        )
        .filter(matches__gt=0)
        .annotate(
            industry_known=industry_known,
            open_requests=Count(
                "requests", filter=Q(requests__status=ExpertRequestStatus.OPEN), distinct=True
            ),
        )
        .order_by("-matches", "-industry_known", "open_requests", "user__last_name", "id")
        .prefetch_related(
            Prefetch(
                "product_groups",
                queryset=ProductGroup.objects.filter(pk__in=groups).order_by("name"),
                to_attr="matching_groups",
            )
        )
    )
    return list(experts[:limit])


def _visible(user: User) -> Q:
    return Q(offer__in=offers_for(user)) | Q(expert__user_id=user.pk)


def _open_first(requests: QuerySet[ExpertRequest]) -> QuerySet[ExpertRequest]:
    return requests.annotate(
        closed=Case(
            When(status=ExpertRequestStatus.OPEN, then=V(0)),
            default=V(1),
            output_field=IntegerField(),
        )
    )


def requests_of_offer(user: User, offer: Offer) -> list[ExpertRequest]:
    """The offer's requests, the open ones first by due date, then the newest: one query."""
    requests = ExpertRequest.objects.filter(offer_id=offer.pk, offer__in=offers_for(user))
    return list(
        _open_first(requests)
        .select_related("expert__user", "asked_by", "line")
        .order_by("closed", "due_on", "-created_at", "-id")
    )


def _with_offer(requests: QuerySet[ExpertRequest], user: User) -> QuerySet[ExpertRequest]:
    """With the offer and its company, and whether the user may open the offer's page (an
    expert of another territory answers without it)."""
    return requests.select_related("offer", "offer__company", "line", "asked_by").annotate(
        offer_visible=Exists(offers_for(user).filter(pk=OuterRef("offer_id")))
    )


def requests_for_expert(user: User) -> QuerySet[ExpertRequest]:
    """The expert's own list: the open requests first, by due date; then the answered and
    withdrawn ones, newest first."""
    requests = ExpertRequest.objects.filter(expert__user_id=user.pk)
    return _with_offer(_open_first(requests), user).order_by(
        "closed", "due_on", "-answered_at", "-created_at", "-id"
    )


def requests_asked_by(user: User) -> QuerySet[ExpertRequest]:
    """The open requests the user asked, of offers he still sees: the inside rep coordinates
    them."""
    requests = ExpertRequest.objects.filter(
        asked_by_id=user.pk, status=ExpertRequestStatus.OPEN, offer__in=offers_for(user)
    )
    return requests.select_related("offer", "offer__company", "expert__user", "line").order_by(
        "due_on", "id"
    )


def open_requests_for_expert(user: User, limit: int) -> list[ExpertRequest]:
    """For "Mein Tag": the expert's open requests by due date, one more than shown (so the
    section knows there are more); one query, also for everybody who is no expert."""
    return list(
        ExpertRequest.objects.filter(expert__user_id=user.pk, status=ExpertRequestStatus.OPEN)
        .select_related("offer", "offer__company")
        .order_by("due_on", "id")[: limit + 1]
    )


def expert_request_get(user: User, expert_request_id: int) -> ExpertRequest:
    """A request the user sees: one of an offer he sees, or one that asks him."""
    return (
        ExpertRequest.objects.filter(_visible(user))
        .select_related("offer", "expert", "expert__user")
        .get(pk=expert_request_id)
    )


def request_to_withdraw(user: User, expert_request_id: int) -> ExpertRequest:
    """A request the user may withdraw: his own, or as a manager any he sees."""
    requests = ExpertRequest.objects.filter(offer__in=offers_for(user))
    if not is_manager(user):
        requests = requests.filter(asked_by_id=user.pk)
    return requests.select_related("offer", "expert").get(pk=expert_request_id)


def is_expert(user: User) -> bool:
    """Whether the user has an entry in the directory; a colleague whose entry was set
    inactive still answers what he was asked before."""
    return Expert.objects.filter(user_id=user.pk).exists()


def due_state(expert_request: ExpertRequest, today: datetime.date) -> str:
    """For an open request "overdue" or "today", else ""; closed requests are never due."""
    if not expert_request.is_open:
        return ""
    if expert_request.due_on < today:
        return "overdue"
    return "today" if expert_request.due_on == today else ""
