"""The lead settings the administrator keeps: assignment rules, capacities and absences,
reaction times and working calendars. Leads themselves are worked on their own pages."""

from django.contrib import admin

from innendienst.leads.models import (
    AssignmentRule,
    LeadCapacity,
    ScoreWeight,
    SlaRule,
    WorkingCalendar,
)


@admin.register(AssignmentRule)
class AssignmentRuleAdmin(admin.ModelAdmin):
    list_display = ("order", "name", "is_active", "territory", "source", "customer_group",
                    "interest", "team", "rep")  # fmt: skip
    list_display_links = ("name",)
    list_editable = ("order", "is_active")
    list_select_related = ("territory", "customer_group", "team", "rep")


@admin.register(LeadCapacity)
class LeadCapacityAdmin(admin.ModelAdmin):
    list_display = ("user", "per_month", "away_from", "away_until")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)


@admin.register(SlaRule)
class SlaRuleAdmin(admin.ModelAdmin):
    list_display = ("stage", "source", "hours", "warn_before_hours")
    list_filter = ("stage",)


@admin.register(WorkingCalendar)
class WorkingCalendarAdmin(admin.ModelAdmin):
    list_display = ("territory", "subdivision", "day_starts", "day_ends", "saturday")
    list_select_related = ("territory",)


@admin.register(ScoreWeight)
class ScoreWeightAdmin(admin.ModelAdmin):
    list_display = ("factor", "points")
