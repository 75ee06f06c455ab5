"""Demo leads: a few percent of the companies have one, from fairs, campaigns, the web form
and calls, at every stage, with the SLA clocks their stages ran."""

from __future__ import annotations

import random

from innendienst.catalog.models import ProductGroup
from innendienst.contacts.demo import CompanyPlan, company_plans
from innendienst.contacts.models import BuyingCenterRole, CompanyStatus, Priority
from innendienst.demo import data
from innendienst.demo.kit import Chunk, Run, Step, Weighted, office_minutes
from innendienst.leads.calendar import BusinessCalendar, calendar_of
from innendienst.leads.models import Lead, LeadSource, LeadStage, LeadStageChange
from innendienst.leads.scoring import Facts, scored, weights
from innendienst.leads.services import WAITS_FOR

SOURCES = Weighted(
    [
        LeadSource.TRADE_FAIR,
        LeadSource.CAMPAIGN,
        LeadSource.WEB_FORM,
        LeadSource.INBOUND_CALL,
        LeadSource.BOUGHT_LIST,
        LeadSource.REFERRAL,
    ],
    [35, 20, 18, 12, 10, 5],
)
# Where the leads are now: the path each took, stage by stage.
PATHS = Weighted(
    [
        (LeadStage.QL,),
        (LeadStage.QL, LeadStage.MQL),
        (LeadStage.QL, LeadStage.MQL, LeadStage.SQL),
        (LeadStage.QL, LeadStage.MQL, LeadStage.SQL, LeadStage.ACCEPTED),
        (LeadStage.QL, LeadStage.MQL, LeadStage.SQL, LeadStage.RECYCLED),
        (LeadStage.QL, LeadStage.MQL, LeadStage.SQL, LeadStage.ACCEPTED, LeadStage.CONVERTED),
        (LeadStage.QL, LeadStage.DISQUALIFIED),
    ],
    [30, 20, 10, 12, 8, 12, 8],
)
# The agreed reaction times of the migration's rules, in business hours.
SLA_HOURS = {LeadStage.QL: 16, LeadStage.MQL: 16, LeadStage.SQL: 8, LeadStage.ACCEPTED: 16}
NEEDS = (
    "Ersatz der bestehenden Anlage, Angebot bis Quartalsende",
    "Vergleicht drei Anbieter, Entscheidung im Frühjahr",
    "Möchte Muster und Preisliste",
    "Neue Fertigungslinie geplant, Budget freigegeben",
    "Interesse an Rahmenvertrag",
    "Rückruf durch den Außendienst erbeten",
)
TIMINGS = ("sofort", "dieses Quartal", "nächstes Quartal", "2027", "unklar")
REASONS = {LeadStage.RECYCLED: ("too_early", "no_budget"), LeadStage.DISQUALIFIED: ("no_need",)}
LEAD_SHARE = {CompanyStatus.PROSPECT: 0.25}
DEFAULT_SHARE = 0.04


class LeadStep(Step):
    def __init__(self, run: Run) -> None:
        super().__init__(run)
        self.interests = list(ProductGroup.objects.values_list("name", flat=True)) or ["Pumpen"]
        self.points = weights()
        self.calendars: dict[int, BusinessCalendar] = {}

    def _calendar(self, plan: CompanyPlan) -> BusinessCalendar:
        territory = plan.company.territory
        if territory.pk not in self.calendars:
            self.calendars[territory.pk] = calendar_of(territory)
        return self.calendars[territory.pk]

    def chunk(self, chunk: Chunk) -> None:
        rng = self.run.rng(chunk, "leads")
        leads: list[Lead] = []
        changes: list[LeadStageChange] = []
        for plan in company_plans(chunk):
            plan_rng = self.run.story_rng("leads") if plan.story else rng
            share = 1.0 if plan.story else LEAD_SHARE.get(plan.company.status, DEFAULT_SHARE)
            if plan_rng.random() < share:
                lead, stages = self._lead(plan_rng, plan)
                leads.append(lead)
                changes.extend(stages)
        self.run.write(Lead, leads)
        self.run.write(LeadStageChange, changes)

    def _lead(self, rng: random.Random, plan: CompanyPlan) -> tuple[Lead, list[LeadStageChange]]:
        run = self.run
        calendar = self._calendar(plan)
        source = SOURCES.pick(rng)
        captured = run.at(run.days_ago(rng.randint(0, 45)), office_minutes(rng))
        person = rng.choice(plan.people).person if plan.people else None
        lead = Lead(
            id=run.ids.next(Lead),
            company_id=plan.company.pk,
            person_id=person.pk if person else None,
            source=source,
            source_name=(
                f"{rng.choice(data.TRADE_FAIRS)} {captured.year}"
                if source == LeadSource.TRADE_FAIR
                else ("Mailing Frühjahr" if source == LeadSource.CAMPAIGN else "")
            ),
            interests=", ".join(rng.sample(self.interests, min(2, len(self.interests)))),
            need=rng.choice(NEEDS),
            timing=rng.choice(TIMINGS),
            priority=rng.choice(list(Priority.values)),
            created_by=plan.inside_rep,
            created_at=captured,
            updated_at=captured,
        )
        stages: list[LeadStageChange] = []
        at, previous, owner = captured, "", plan.inside_rep
        now = run.at(run.anchor, 8 * 60)
        for stage in PATHS.pick(rng):
            if stage in (LeadStage.SQL, LeadStage.ACCEPTED, LeadStage.CONVERTED):
                owner = plan.field_rep
            elif stage == LeadStage.RECYCLED:
                owner = plan.inside_rep
            kind = WAITS_FOR.get(stage, "")
            due = calendar.add_hours(at, SLA_HOURS[stage]) if stage in SLA_HOURS else None
            change = LeadStageChange(
                id=run.ids.next(LeadStageChange),
                lead_id=lead.pk,
                from_stage=previous,
                to_stage=stage,
                reason=rng.choice(REASONS.get(stage, ("",))),
                actor=owner,
                owner=owner,
                at=at,
                sla_kind=kind if due else "",
                sla_due_at=due,
            )
            stages.append(change)
            # The next step comes a few business hours to a few days later; mostly in time.
            hours = rng.choice((2, 4, 6, 12, 20, 40))
            following = calendar.add_hours(at, hours)
            if following >= now:
                break
            if due is not None:
                change.sla_met_at = following
            at, previous = following, stage
        last = stages[-1]
        lead.stage, lead.owner, lead.reason = last.to_stage, owner, last.reason
        lead.stage_changed_at = lead.touched_at = last.at
        lead.sla_kind = last.sla_kind or ""
        lead.sla_due_at, lead.sla_met_at = last.sla_due_at, last.sla_met_at
        lead.assigned_at = last.at
        lead.company = plan.company
        decider = any(m.role == BuyingCenterRole.DECIDER for m in plan.memberships)
        facts = Facts(decider_known=decider, contacts=0, engagement=0, now=now)
        lead.score, lead.score_reasons = scored(lead, facts, self.points)
        return lead, stages
