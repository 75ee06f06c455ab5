"""Reads of leads: the inbox, a lead with its history, the leads of a company and of "My day"."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

import django_filters
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innendienst.accounts.models import Territory, User
from innendienst.activities.models import Activity, ActivityType, CallOutcome
from innendienst.contacts.models import Company, Person, Priority
from innendienst.contacts.selectors import company_scope
from innendienst.core import registry
from innendienst.core.filters import ListFilterSet, sort_filter
from innendienst.leads import scoring
from innendienst.leads.calendar import calendars_of
from innendienst.leads.defaults import DEFINITIONS
from innendienst.leads.models import (
    OPEN_STAGES,
    Lead,
    LeadEngagement,
    LeadSource,
    LeadStage,
    LeadStageChange,
    StageDefinition,
)

# Call outcomes after which the lead still waits for its follow-up call.
NOBODY_REACHED = frozenset({CallOutcome.NOT_REACHED, CallOutcome.GATEKEEPER})
# Temperature by the days since anybody last worked the lead.
HOT_DAYS = 3
COLD_DAYS = 14


def leads_for(user: User) -> QuerySet[Lead]:
    """Leads at companies the user sees; of contacts only those he may see."""
    scope = company_scope(user, prefix="company__")
    leads = Lead.objects.all() if scope is None else Lead.objects.filter(scope)
    hidden_people = registry.visibility_conditions(user, Person)
    if hidden_people:
        visible = Person.objects.filter(*hidden_people)
        leads = leads.filter(Q(person__isnull=True) | Q(person__in=visible))
    return leads


def _with_relations(leads: QuerySet[Lead]) -> QuerySet[Lead]:
    return leads.select_related("company", "person", "owner")


def temperature_of(lead: Lead, now: datetime.datetime | None = None) -> str:
    """heiß / warm / kalt: how long nobody has worked the lead."""
    if not lead.is_open:
        return ""
    days = ((now or timezone.now()) - lead.touched_at).days
    if days <= HOT_DAYS:
        return "hot"
    return "warm" if days <= COLD_DAYS else "cold"


TEMPERATURE_LABELS = {"hot": _("hot"), "warm": _("warm"), "cold": _("cold")}
TEMPERATURE_TONES = {"hot": "bad", "warm": "warn", "cold": "info"}


def _annotated(leads: list[Lead], now: datetime.datetime, *, ages: bool = False) -> list[Lead]:
    """Temperature and whether its clock has run out; with ``ages`` its age in its
    territory's business days (the territories and their calendars in two queries)."""
    for lead in leads:
        lead.temperature = temperature_of(lead, now)
        lead.overdue = lead.waiting and lead.sla_due_at < now
        lead.score_explained = scoring.explained(lead.score_reasons)
        lead.score_summary = ", ".join(
            f"{label} {points:+d}" for label, points in lead.score_explained
        )
    if ages and leads:
        territory_ids = {lead.company.territory_id for lead in leads}
        calendars = calendars_of(Territory.objects.filter(pk__in=territory_ids))
        today = timezone.localdate(now)
        for lead in leads:
            created = timezone.localdate(lead.created_at)
            lead.age_days = calendars[lead.company.territory_id].working_days_between(
                created, today
            )
    return leads


def lead_get(user: User, lead_id: int) -> Lead:
    lead = _with_relations(leads_for(user)).select_related("company__territory").get(pk=lead_id)
    return _annotated([lead], timezone.now(), ages=True)[0]


def stage_history(lead: Lead) -> list[LeadStageChange]:
    return list(lead.stage_changes.select_related("actor", "owner").order_by("at", "id"))


def engagements_of(lead: Lead, limit: int = 20) -> list[LeadEngagement]:
    """What the contact did lately that counted into the score, newest first."""
    return list(lead.engagements.order_by("-occurred_at", "-id")[:limit])


def stage_definitions() -> list[tuple[str, str, str]]:
    """(stage, label, definition) of every stage, in the stages' order: as the sales manager
    wrote it down, else the default."""
    written = dict(StageDefinition.objects.values_list("stage", "definition"))
    return [
        (stage.value, stage.label, written.get(stage.value) or str(DEFINITIONS[stage]))
        for stage in LeadStage
    ]


def open_leads_of(user: User, company: Company) -> list[Lead]:
    leads = _with_relations(leads_for(user).filter(company=company, stage__in=OPEN_STAGES))
    return _annotated(list(leads.order_by("-created_at", "-id")[:20]), timezone.now())


# Leads shown in "My day"; the count says how many there are in all.
MY_DAY_LEADS = 10


def my_waiting_leads(user: User) -> tuple[list[Lead], int]:
    """The leads that wait for my reaction, the most urgent first, and how many there are."""
    waiting = leads_for(user).filter(owner=user, sla_due_at__isnull=False, sla_met_at__isnull=True)
    first = list(_with_relations(waiting).order_by("sla_due_at", "id")[:MY_DAY_LEADS])
    count = len(first) if len(first) < MY_DAY_LEADS else waiting.count()
    return _annotated(first, timezone.now()), count


LEAD_SORTS = {
    # Running SLA clocks first, the earliest due first; then the newest.
    "due": (F("sla_due_at").asc(nulls_last=True), "-created_at", "-id"),
    "-created": ("-created_at", "-id"),
    "created": ("created_at", "id"),
    "priority": ("priority", F("sla_due_at").asc(nulls_last=True), "-id"),
    "score": ("score", F("sla_due_at").asc(nulls_last=True), "id"),
    "-score": ("-score", F("sla_due_at").asc(nulls_last=True), "-id"),
}


class LeadFilterSet(ListFilterSet):
    stage = django_filters.ChoiceFilter(
        choices=LeadStage.choices, label=_("Stage"), empty_label=_("All open stages"),
        method="in_stage",
    )  # fmt: skip
    source = django_filters.ChoiceFilter(
        choices=LeadSource.choices, label=_("Source"), empty_label=_("All sources")
    )
    priority = django_filters.ChoiceFilter(
        choices=Priority.choices, label=_("Priority"), empty_label=_("All priorities")
    )
    temperature = django_filters.ChoiceFilter(
        choices=list(TEMPERATURE_LABELS.items()),
        label=_("Temperature"),
        empty_label=_("Any temperature"),
        method="of_temperature",
    )
    overdue = django_filters.ChoiceFilter(
        choices=[("yes", _("SLA overdue"))],
        method="sla_overdue",
        label=_("SLA"),
        empty_label=_("Due or not"),
    )
    mine = django_filters.ChoiceFilter(
        choices=[("yes", _("mine"))],
        method="owned_by_me",
        label=_("Responsible"),
        empty_label=_("Everybody's"),
    )
    fair = django_filters.ChoiceFilter(
        choices=[("not_called", _("not yet called"))],
        method="fair_not_called",
        label=_("Trade-fair leads"),
        empty_label=_("All leads"),
    )
    company_id = django_filters.NumberFilter(field_name="company_id", min_value=1)
    sort = sort_filter(LEAD_SORTS)

    sorts = LEAD_SORTS
    default_sort = "due"

    class Meta(ListFilterSet.Meta):
        model = Lead
        fields: list[str] = []

    def in_stage(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(stage=value)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # Without a chosen stage the inbox shows the leads still to be worked.
        if not self.form.cleaned_data.get("stage"):
            queryset = queryset.filter(stage__in=OPEN_STAGES)
        return super().filter_queryset(queryset)

    def of_temperature(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        now = timezone.now()
        hot_since = now - datetime.timedelta(days=HOT_DAYS + 1)
        cold_before = now - datetime.timedelta(days=COLD_DAYS + 1)
        condition = {
            "hot": Q(touched_at__gt=hot_since),
            "warm": Q(touched_at__lte=hot_since, touched_at__gt=cold_before),
            "cold": Q(touched_at__lte=cold_before),
        }[value]
        return queryset.filter(condition, stage__in=OPEN_STAGES)

    def sla_overdue(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(sla_met_at__isnull=True, sla_due_at__lt=timezone.now())

    def owned_by_me(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(owner=self.user)

    def fair_not_called(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Every fair lead is called after the fair: those where nobody at the company has
        been reached by phone since the lead was captured (a call that reached nobody does
        not count)."""
        reached = Activity.objects.filter(
            company_id=OuterRef("company_id"),
            kind=ActivityType.CALL,
            occurred_at__gte=OuterRef("created_at"),
        ).exclude(outcome__in=NOBODY_REACHED)
        return queryset.filter(source=LeadSource.TRADE_FAIR).exclude(Exists(reached))


def lead_filter(user: User, params: Mapping[str, Any] | None) -> LeadFilterSet:
    return LeadFilterSet(params, queryset=_with_relations(leads_for(user)), user=user)


def lead_list(user: User, params: Mapping[str, Any]) -> QuerySet[Lead]:
    return lead_filter(user, params).results_or_raise()


def annotate_page(leads: list[Lead]) -> list[Lead]:
    return _annotated(leads, timezone.now(), ages=True)
