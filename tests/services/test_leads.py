"""leads.services: capture, the stages with their handover SLA, and first contact."""

from __future__ import annotations

import datetime
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from innendienst.accounts.models import Role
from innendienst.activities.services import activity_log
from innendienst.core.models import AuditEntry
from innendienst.leads.defaults import DEFINITIONS
from innendienst.leads.models import (
    Lead,
    LeadCapacity,
    LeadStage,
    LeadStageChange,
    SlaKind,
    SlaRule,
    StageDefinition,
)
from innendienst.leads.services import lead_capture, lead_move, stage_definitions_update
from tests import factories

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
FAIR = {"source": "trade_fair", "source_name": "LogiMAT 2027", "interests": "Pumpen"}


@pytest.fixture
def field_rep(team_south, territories):
    return factories.UserFactory(
        username="field", role=Role.FIELD_SALES, territories=[territories["BY"]]
    )


@pytest.fixture
def frozen(monkeypatch):
    """The clock stands still at the given moment."""

    def freeze(moment: datetime.datetime) -> datetime.datetime:
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return freeze


def capture(actor, company, **values):
    data = {**FAIR, **values.pop("data", {})}
    return lead_capture(actor=actor, company=company, data=data, **values)[0]


def test_it_captures_a_lead_into_the_queue_of_the_inside_rep_with_a_first_contact_clock(
    owner, teammate, company, person, frozen
):
    friday_afternoon = frozen(datetime.datetime(2026, 12, 4, 16, tzinfo=BERLIN))
    lead = capture(teammate, company, data={"person_id": person.pk})
    assert lead.owner == owner  # the company's inside rep, whoever captured it
    assert lead.stage == LeadStage.QL
    assert lead.created_by == teammate
    # 16 business hours in Bavaria after Friday 16:00: 1 + 9 on Monday + 6 on Tuesday.
    assert lead.sla_kind == SlaKind.FIRST_CONTACT
    assert lead.sla_due_at == datetime.datetime(2026, 12, 8, 14, tzinfo=BERLIN)
    assert lead.stage_changed_at == friday_afternoon
    change = LeadStageChange.objects.get(lead=lead)
    assert (change.from_stage, change.to_stage, change.actor) == ("", "ql", teammate)
    assert AuditEntry.objects.filter(object_id=lead.pk, action="create").exists()


def test_it_recognises_a_capture_sent_twice(owner, company):
    capture_id = uuid.uuid4()
    first, created = lead_capture(actor=owner, company=company, data=FAIR, capture_id=capture_id)
    again, created_again = lead_capture(
        actor=owner, company=company, data=FAIR, capture_id=capture_id
    )
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Lead.objects.count() == 1


def test_it_refuses_a_lead_at_a_company_the_actor_does_not_see(outsider, company):
    with pytest.raises(PermissionDenied):
        capture(outsider, company)
    assert not Lead.objects.exists()


def test_it_refuses_a_role_that_does_not_work_leads(company, team_south):
    product_manager = factories.UserFactory(role=Role.PRODUCT_MANAGEMENT, team=team_south)
    with pytest.raises(PermissionDenied):
        capture(product_manager, company)


def test_it_lets_marketing_capture_leads(marketer, company):
    assert capture(marketer, company).created_by == marketer


def test_it_answers_bad_capture_input_at_its_fields(owner, company, north_company):
    stranger = factories.PersonFactory(company=north_company)
    with pytest.raises(ValidationError) as caught:
        capture(
            owner,
            company,
            data={"source_name": "", "person_id": stranger.pk, "budget": -5},
            stage="accepted",
        )
    assert set(caught.value.message_dict) == {"stage"}
    with pytest.raises(ValidationError) as caught:
        capture(owner, company, data={"source_name": "", "person_id": stranger.pk, "budget": -5})
    assert set(caught.value.message_dict) == {"source_name", "person", "budget"}
    assert not Lead.objects.exists()


def test_it_hands_a_lead_over_to_the_field_rep_who_must_accept_within_a_working_day(
    owner, company, field_rep, frozen
):
    company.field_rep = field_rep
    company.save()
    frozen(datetime.datetime(2026, 12, 4, 9, tzinfo=BERLIN))
    lead = capture(owner, company)
    thursday = frozen(datetime.datetime(2026, 12, 10, 16, tzinfo=BERLIN))
    lead = lead_move(actor=owner, lead=lead, to_stage="mql")
    lead = lead_move(actor=owner, lead=lead, to_stage="sql", note="Entscheider bekannt")
    assert lead.owner == field_rep
    assert lead.sla_kind == SlaKind.ACCEPTANCE
    assert lead.sla_due_at == datetime.datetime(2026, 12, 11, 15, tzinfo=BERLIN)
    # The first-contact clock of the capture went along to MQL (the lead still waited for
    # its first contact) and stopped when the lead was handed over.
    assert LeadStageChange.objects.get(lead=lead, to_stage="ql").sla_due_at is None
    first = LeadStageChange.objects.get(lead=lead, to_stage="mql")
    assert first.sla_due_at == datetime.datetime(2026, 12, 7, 16, tzinfo=BERLIN)
    assert first.sla_met_at is not None
    assert first.sla_breached  # due on Monday, worked on Thursday

    # Only the field rep (or a manager) answers the handover.
    with pytest.raises(PermissionDenied):
        lead_move(actor=owner, lead=lead, to_stage="accepted")
    frozen(thursday + datetime.timedelta(hours=1))
    lead = lead_move(actor=field_rep, lead=lead, to_stage="accepted")
    handover = LeadStageChange.objects.get(lead=lead, to_stage="sql")
    assert handover.sla_met_at == thursday + datetime.timedelta(hours=1)
    assert not handover.sla_breached
    assert lead.sla_kind == SlaKind.FIRST_CONTACT


def test_it_refuses_a_handover_without_a_field_rep_to_take_it(owner, company):
    lead = capture(owner, company)
    with pytest.raises(ValidationError) as caught:
        lead_move(actor=owner, lead=lead, to_stage="sql")
    assert "owner" in caught.value.message_dict
    lead.refresh_from_db()
    assert lead.stage == LeadStage.QL


def test_it_refuses_a_handover_to_a_rep_who_may_not_see_the_company(owner, company, outsider):
    lead = capture(owner, company)
    with pytest.raises(ValidationError) as caught:
        lead_move(actor=owner, lead=lead, to_stage="sql", owner=outsider)
    assert "owner" in caught.value.message_dict


def test_it_sends_a_rejected_lead_back_to_marketing_with_its_reason(owner, company, field_rep):
    lead = capture(owner, company, stage="sql", owner=field_rep)
    with pytest.raises(ValidationError) as caught:
        lead_move(actor=field_rep, lead=lead, to_stage="recycled")
    assert "reason" in caught.value.message_dict
    lead = lead_move(
        actor=field_rep, lead=lead, to_stage="recycled", reason="too_early", note="erst 2028"
    )
    assert lead.stage == LeadStage.RECYCLED
    assert lead.reason == "too_early"
    assert lead.owner == owner  # the inside rep nurtures it
    change = LeadStageChange.objects.filter(lead=lead).last()
    assert (change.reason, change.note, change.actor) == ("too_early", "erst 2028", field_rep)


def test_it_refuses_a_step_the_stages_do_not_allow(owner, company):
    lead = capture(owner, company)
    with pytest.raises(ValidationError) as caught:
        lead_move(actor=owner, lead=lead, to_stage="converted")
    assert "stage" in caught.value.message_dict
    lead = lead_move(actor=owner, lead=lead, to_stage="disqualified", reason="spam")
    with pytest.raises(ValidationError):
        lead_move(actor=owner, lead=lead, to_stage="mql")
    assert not lead.waiting


def test_it_stops_the_first_contact_clock_when_somebody_calls_the_company(
    owner, teammate, company, person, django_capture_on_commit_callbacks
):
    lead = capture(owner, company)
    assert lead.waiting
    with django_capture_on_commit_callbacks(execute=True):
        activity_log(
            actor=teammate,
            company=company,
            data={"kind": "call", "person": person, "subject": "Messe", "outcome": "reached"},
        )
    lead.refresh_from_db()
    assert not lead.waiting
    assert LeadStageChange.objects.get(lead=lead).sla_met_at == lead.sla_met_at


def test_it_keeps_the_clock_running_for_a_note(owner, company, django_capture_on_commit_callbacks):
    lead = capture(owner, company)
    with django_capture_on_commit_callbacks(execute=True):
        activity_log(actor=owner, company=company, data={"kind": "note", "subject": "intern"})
    lead.refresh_from_db()
    assert lead.waiting


def test_it_lets_only_a_manager_reword_the_stage_definitions(owner, team_south):
    manager = factories.UserFactory(role=Role.SALES_MANAGER, team=team_south)
    texts = {stage: str(definition) for stage, definition in DEFINITIONS.items()}
    with pytest.raises(PermissionDenied):
        stage_definitions_update(actor=owner, texts={**texts, "ql": "neu"})
    with pytest.raises(ValidationError) as caught:
        stage_definitions_update(actor=manager, texts={**texts, "mql": "  "})
    assert set(caught.value.message_dict) == {"mql"}
    stage_definitions_update(actor=manager, texts={**texts, "ql": "Problem erkannt."})
    assert StageDefinition.objects.get(stage="ql").definition == "Problem erkannt."
    row = StageDefinition.objects.get(stage="ql")
    assert AuditEntry.objects.filter(
        content_type__model="stagedefinition", object_id=row.pk, action="create"
    ).exists()
    stage_definitions_update(actor=manager, texts={**texts, "ql": "Problem benannt."})
    assert AuditEntry.objects.filter(field="definition", new_value="Problem benannt.").exists()


def test_it_takes_the_written_sla_rule_for_the_source_before_the_default(owner, company, frozen):
    frozen(datetime.datetime(2026, 12, 7, 9, tzinfo=BERLIN))  # Monday morning
    SlaRule.objects.create(stage="ql", source="trade_fair", hours=2)
    SlaRule.objects.create(stage="ql", source="", hours=40)
    fair = capture(owner, company)
    referral = capture(owner, company, data={"source": "referral", "source_name": ""})
    called = capture(owner, company, data={"source": "inbound_call", "source_name": ""})
    assert fair.sla_due_at == datetime.datetime(2026, 12, 7, 11, tzinfo=BERLIN)
    assert referral.sla_due_at == datetime.datetime(2026, 12, 11, 13, tzinfo=BERLIN)
    # No rule written for calls: the written rule for every source applies, not the default.
    assert called.sla_due_at == referral.sla_due_at


def test_a_rejection_goes_back_to_the_inside_rep_even_when_he_is_full(owner, company, field_rep):
    lead = capture(owner, company, stage="sql", owner=field_rep)
    LeadCapacity.objects.create(user=owner, per_month=0)
    lead = lead_move(actor=field_rep, lead=lead, to_stage="recycled", reason="no_need")
    assert lead.owner == owner


def test_moving_a_lead_between_ql_and_mql_does_not_restart_its_clock(owner, company, frozen):
    frozen(datetime.datetime(2026, 12, 7, 9, tzinfo=BERLIN))
    lead = capture(owner, company)
    due = lead.sla_due_at
    frozen(datetime.datetime(2026, 12, 8, 15, tzinfo=BERLIN))
    lead = lead_move(actor=owner, lead=lead, to_stage="mql")
    lead = lead_move(actor=owner, lead=lead, to_stage="ql")
    assert lead.sla_due_at == due
    assert lead.waiting
    clocks = LeadStageChange.objects.filter(lead=lead).exclude(sla_due_at=None)
    assert clocks.count() == 1


def test_it_hands_over_to_sales_only(owner, teammate, company, field_rep, marketer):
    lead = capture(owner, company)
    for not_sales in (teammate, owner):
        with pytest.raises(ValidationError) as caught:
            lead_move(actor=owner, lead=lead, to_stage="sql", owner=not_sales)
        assert "owner" in caught.value.message_dict
    with pytest.raises(ValidationError):
        capture(marketer, company, stage="sql", owner=marketer)
    assert lead_move(actor=owner, lead=lead, to_stage="sql", owner=field_rep).owner == field_rep


def test_it_refuses_an_sql_capture_at_the_stage_when_the_field_rep_is_away(
    owner, company, field_rep
):
    company.field_rep = field_rep
    company.save()
    today = timezone.localdate()
    LeadCapacity.objects.create(user=field_rep, per_month=10, away_until=today)
    with pytest.raises(ValidationError) as caught:
        capture(owner, company, stage="sql")
    assert set(caught.value.message_dict) == {"stage"}
    assert not Lead.objects.exists()
