"""The lead settings the administrator keeps: assignment rules, capacities and absences,
reaction times and working calendars, score weights and the learnt score model. Leads
themselves are worked on their own pages."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from innendienst.leads.models import (
    AssignmentRule,
    LeadCapacity,
    ScoreModel,
    ScoreWeight,
    SlaRule,
    WorkingCalendar,
)


@admin.register(AssignmentRule)
class AssignmentRuleAdmin(admin.ModelAdmin):
    list_display = ("order", "name", "is_active", "territory", "source", "customer_group",
                    "interest", "language", "team", "rep")  # fmt: skip
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


@admin.register(ScoreModel)
class ScoreModelAdmin(admin.ModelAdmin):
    """Trainings are made by the weekly job, the ``lead_score train`` command or "Train now";
    here the administrator reads them and may switch the learnt score off or on again."""

    list_display = ("trained_at", "active", "auc", "baseline_auc", "n_won", "n_lost",
                    "n_train", "n_holdout", "seconds")  # fmt: skip
    list_filter = ("active",)
    actions = ("use_model", "use_rule_weights")
    change_list_template = "admin/leads/scoremodel/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: ScoreModel | None = None) -> list[str]:
        # A trained model is a record of what was measured; only switching it on and off (the
        # actions) changes anything.
        return [field.name for field in ScoreModel._meta.fields]

    def get_urls(self) -> list[URLPattern]:
        train = path(
            "train/",
            self.admin_site.admin_view(require_POST(self.train_view)),
            name="leads_scoremodel_train",
        )
        return [train, *super().get_urls()]

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        extra = {
            "score_model_page": reverse("lead_score_model"),
            "may_train": self.has_change_permission(request),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra)

    def train_view(self, request: HttpRequest) -> HttpResponse:
        from innendienst.leads.tasks import train_lead_score_now

        if not self.has_change_permission(request):
            return HttpResponseRedirect(reverse("admin:index"))
        train_lead_score_now()
        messages.info(
            request,
            _("The training runs in the background; its result appears here when it is done."),
        )
        return HttpResponseRedirect(reverse("admin:leads_scoremodel_changelist"))

    @admin.action(description=gettext_lazy("Score with this model"), permissions=["change"])
    def use_model(self, request: HttpRequest, queryset: QuerySet[ScoreModel]) -> None:
        from innendienst.leads.scoring import rescore_open

        chosen = list(queryset[:2])
        if len(chosen) != 1:
            self.message_user(request, _("Please choose one model."), messages.ERROR)
            return
        model = chosen[0]
        if not model.beats_baseline:
            self.message_user(
                request,
                _("This model ranked the held-out leads no better than the rule weights."),
                messages.ERROR,
            )
            return
        with transaction.atomic():
            ScoreModel.objects.filter(active=True).update(active=False)
            ScoreModel.objects.filter(pk=model.pk).update(active=True)
        count = rescore_open()
        self.message_user(
            request,
            _("The learnt model scores; %(count)d open leads scored again.") % {"count": count},
        )

    @admin.action(
        description=gettext_lazy("Score with the rule weights again"), permissions=["change"]
    )
    def use_rule_weights(self, request: HttpRequest, queryset: QuerySet[ScoreModel]) -> None:
        from innendienst.leads.scoring import rescore_open

        ScoreModel.objects.filter(active=True).update(active=False)
        count = rescore_open()
        self.message_user(
            request,
            _("The rule weights score; %(count)d open leads scored again.") % {"count": count},
        )
