"""leads.services.lead_follow_up: the follow-up call after a trade fair (Messe-Nachfassgespräch)
— each outcome's effect on the lead, the buying center and the tasks, its errors at their
fields with nothing written, and who may record it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from innendienst.accounts.models import Role
from innendienst.activities.models import Activity, ActivityType
from innendienst.contacts.models import BuyingCenterMembership, Priority
from innendienst.core import events
from innendienst.core.models import AuditEntry
from innendienst.leads import services
from innendienst.leads.calendar import calendar_of
from innendienst.leads.models import Lead, LeadStage, LeadStageChange, SlaKind, StageReason
from innendienst.leads.services import FollowUpInterest, lead_capture, lead_follow_up
from tests import factories

pytestmark = pytest.mark.django_db

FAIR = {"source": "trade_fair", "source_name": "LogiMAT 2027", "interests": "Pumpen"}


@pytest.fixture
def field_rep(territories):
    return factories.UserFactory(
        username="field", role=Role.FIELD_SALES, territories=[territories["BY"]]
    )


@pytest.fixture
def lead(owner, company, person):
    return lead_capture(actor=owner, company=company, data={**FAIR, "person_id": person.pk})[0]


def working_day(company, days_ahead: int = 7) -> datetime.date:
    """A working day in the company's region some days from now."""
    calendar = calendar_of(company.territory)
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    while not calendar.is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def follow_up(actor, lead, **data):
    return lead_follow_up(actor=actor, lead=lead, data={"outcome": "reached", **data})


def written() -> tuple[int, int, int, int]:
    """Calls and tasks, buying-center roles, stage changes and audit entries in the database."""
    return (
        Activity.objects.count(),
        BuyingCenterMembership.objects.count(),
        LeadStageChange.objects.count(),
        AuditEntry.objects.count(),
    )


def test_a_concrete_need_with_a_visit_day_goes_to_the_field_rep_with_the_decider_known(
    owner, company, person, lead, field_rep, django_capture_on_commit_callbacks
):
    company.field_rep = field_rep
    company.save()
    factories.BuyingCenterMembershipFactory(person=person, role="buyer")
    visit_on = working_day(company)
    seen = []
    events.subscribe("lead.followed_up", seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            result = follow_up(
                owner,
                lead,
                interest="concrete",
                need="40 Kreiselpumpen mit Montage",
                timing="Q3 2027",
                information="Referenzliste Lebensmittel",
                key_contacts=[{"person_id": person.pk, "role": "decider"}],
                visit_on=visit_on,
                note="Sehr offen, will Termin vor Ort",
            )
    finally:
        events.unsubscribe("lead.followed_up", seen.append)
    lead.refresh_from_db()
    assert (lead.stage, lead.owner, lead.priority) == (LeadStage.SQL, field_rep, Priority.A)
    assert (lead.need, lead.timing) == ("40 Kreiselpumpen mit Montage", "Q3 2027")
    # Sales now owes the acceptance; the first contact of the capture was this call.
    assert lead.sla_kind == SlaKind.ACCEPTANCE
    assert LeadStageChange.objects.get(lead=lead, to_stage="ql").sla_met_at is not None
    call = result.call
    assert (call.kind, call.outcome, call.person) == (ActivityType.CALL, "reached", person)
    assert call.subject.endswith("LogiMAT 2027")
    assert "Referenzliste Lebensmittel" in call.notes
    assert "Sehr offen" in call.notes
    # The decider is added; the buyer role he had stays.
    roles = set(BuyingCenterMembership.objects.filter(person=person).values_list("role", flat=True))
    assert roles == {"buyer", "decider"}
    assert result.roles == {person.pk: {"buyer", "decider"}}
    [visit] = result.tasks
    assert (visit.kind, visit.assigned_to, visit.done) == (ActivityType.TASK, field_rep, False)
    assert timezone.localdate(visit.due_at) == visit_on
    assert AuditEntry.objects.filter(field="follow_up", object_id=lead.pk).exists()
    assert [event.data["interest"] for event in seen] == ["concrete"]
    assert seen[0].data["visit_rep_id"] == field_rep.pk


def test_a_general_interest_keeps_the_lead_and_the_call_is_its_first_contact(
    owner, company, lead, django_capture_on_commit_callbacks
):
    assert lead.waiting
    with django_capture_on_commit_callbacks(execute=True):
        result = follow_up(owner, lead, interest="general")
    lead.refresh_from_db()
    assert (lead.stage, lead.priority) == (LeadStage.QL, Priority.B)
    assert not lead.waiting  # the existing activity.logged handler stopped the clock
    assert lead.sla_met_at == result.call.occurred_at
    assert result.tasks == []


def test_a_concrete_need_without_a_visit_day_makes_the_lead_marketing_qualified(
    owner, lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        follow_up(owner, lead, interest="concrete")
    lead.refresh_from_db()
    assert (lead.stage, lead.priority) == (LeadStage.MQL, Priority.A)
    # The clock went along from QL to MQL and the call met it there.
    assert not lead.waiting
    assert LeadStageChange.objects.get(lead=lead, to_stage="mql").sla_met_at is not None


def test_only_information_lowers_the_priority_and_plans_the_material_for_the_rep(owner, lead):
    result = follow_up(
        owner, lead, interest="information", information="Katalog Pumpen", send_material=True
    )
    lead.refresh_from_db()
    assert (lead.stage, lead.priority) == (LeadStage.QL, Priority.C)
    [task] = result.tasks
    assert (task.assigned_to, task.done) == (owner, False)
    assert "Katalog Pumpen" in task.subject
    assert task.due_at > timezone.now()


def test_no_interest_disqualifies_the_lead_with_the_reason_of_the_outcome(owner, company):
    bought = lead_capture(actor=owner, company=company, data=FAIR)[0]
    no_need = lead_capture(actor=owner, company=company, data=FAIR)[0]
    follow_up(owner, bought, outcome="bought_elsewhere", interest="none")
    follow_up(owner, no_need, interest="none")
    bought.refresh_from_db()
    no_need.refresh_from_db()
    assert (bought.stage, bought.reason) == (LeadStage.DISQUALIFIED, StageReason.COMPETITOR)
    assert (no_need.stage, no_need.reason) == (LeadStage.DISQUALIFIED, StageReason.NO_NEED)


def test_a_call_that_reached_nobody_is_logged_and_changes_nothing_else(owner, lead):
    result = lead_follow_up(actor=owner, lead=lead, data={"outcome": "not_reached"})
    lead.refresh_from_db()
    assert (lead.stage, lead.priority) == (LeadStage.QL, Priority.B)
    assert result.call.outcome == "not_reached"
    with pytest.raises(ValidationError) as caught:
        lead_follow_up(
            actor=owner,
            lead=lead,
            data={
                "outcome": "not_reached",
                "interest": "concrete",
                "visit_on": working_day(lead.company),
            },
        )
    assert set(caught.value.message_dict) == {"interest", "visit_on"}


def test_every_bad_input_is_answered_at_its_field_and_nothing_is_written(
    owner, company, person, lead, north_company
):
    stranger = factories.PersonFactory(company=north_company)
    before = written()
    with pytest.raises(ValidationError) as caught:
        lead_follow_up(
            actor=owner,
            lead=lead,
            data={
                "outcome": "nonsense",
                "interest": "somewhat",
                "person_id": stranger.pk,
                "timing": "x" * 101,
                "send_material": True,
                "key_contacts": [
                    {"person_id": person.pk, "role": "king"},
                    {"person_id": None, "role": "decider"},
                    {"person_id": stranger.pk, "role": "buyer"},
                    {"person_id": None, "role": ""},  # an empty row is no error
                ],
                "visit_on": timezone.localdate() - datetime.timedelta(days=3),
                "note": "a\x00b",
            },
        )
    assert set(caught.value.message_dict) == {
        "outcome",
        "interest",
        "person",
        "timing",
        "information",
        "key_contacts.0.role",
        "key_contacts.1.person",
        "key_contacts.2.person",
        "visit_on",
        "note",
    }
    with pytest.raises(ValidationError) as caught:
        follow_up(owner, lead, interest="", visit_on=timezone.localdate() - datetime.timedelta(1))
    assert set(caught.value.message_dict) == {"interest", "visit_on"}
    assert written() == before
    lead.refresh_from_db()
    assert (lead.stage, lead.priority, lead.timing) == (LeadStage.QL, Priority.B, "")


def test_a_visit_needs_a_field_rep_a_working_day_and_interest(owner, company, lead, field_rep):
    visit_on = working_day(company)
    with pytest.raises(ValidationError) as caught:
        follow_up(owner, lead, interest="concrete", visit_on=visit_on)
    assert set(caught.value.message_dict) == {"visit_on"}  # the company has no field rep
    company.field_rep = field_rep
    company.save()
    sunday = visit_on + datetime.timedelta(days=6 - visit_on.weekday())
    for data in (
        {"interest": "concrete", "visit_on": sunday},
        {"interest": "none", "visit_on": visit_on},
        {"outcome": "appointment", "interest": "concrete"},  # an appointment has its day
    ):
        with pytest.raises(ValidationError) as caught:
            follow_up(owner, lead, **data)
        assert set(caught.value.message_dict) == {"visit_on"}, data
    assert not Activity.objects.exists()


def test_a_general_interest_with_a_visit_day_plans_the_visit_without_a_handover(
    owner, company, lead, field_rep
):
    company.field_rep = field_rep
    company.save()
    result = follow_up(owner, lead, interest="general", visit_on=working_day(company))
    lead.refresh_from_db()
    assert (lead.stage, lead.owner) == (LeadStage.QL, owner)
    assert [task.assigned_to for task in result.tasks] == [field_rep]


def test_the_handover_is_refused_at_the_visit_day_when_the_field_rep_is_away(
    owner, company, lead, field_rep
):
    company.field_rep = field_rep
    company.save()
    services.LeadCapacity.objects.create(
        user=field_rep, per_month=10, away_until=timezone.localdate() + datetime.timedelta(30)
    )
    with pytest.raises(ValidationError) as caught:
        follow_up(owner, lead, interest="concrete", visit_on=working_day(company))
    assert set(caught.value.message_dict) == {"visit_on"}
    assert not Activity.objects.exists()


def test_a_failure_after_the_first_write_leaves_nothing_half_written(
    owner, company, person, lead, field_rep, monkeypatch
):
    company.field_rep = field_rep
    company.save()

    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "buying_center_set_roles", broken)
    before = written()
    with pytest.raises(RuntimeError):
        follow_up(
            owner,
            lead,
            interest="concrete",
            key_contacts=[{"person_id": person.pk, "role": "decider"}],
            visit_on=working_day(company),
        )
    assert written() == before
    lead.refresh_from_db()
    assert (lead.stage, lead.owner, lead.priority) == (LeadStage.QL, owner, Priority.B)


def test_a_lead_handed_over_or_closed_is_not_followed_up(owner, company, field_rep):
    handed = lead_capture(actor=owner, company=company, data=FAIR, stage="sql", owner=field_rep)[0]
    with pytest.raises(ValidationError):
        follow_up(owner, handed, interest="general")
    assert not Activity.objects.exists()


def test_outsiders_and_roles_that_do_not_work_leads_are_refused(outsider, lead, team_south):
    product_manager = factories.UserFactory(role=Role.PRODUCT_MANAGEMENT, team=team_south)
    for actor in (outsider, product_manager):
        with pytest.raises(PermissionDenied):
            follow_up(actor, lead, interest="general")
    assert not Activity.objects.exists()


def test_marketing_records_the_call_but_not_the_buying_center(marketer, owner, company, person):
    factories.ConsentFactory(person=person)  # marketing sees the contact with consent only
    lead = lead_capture(actor=owner, company=company, data={**FAIR, "person_id": person.pk})[0]
    before = written()
    with pytest.raises(PermissionDenied):
        follow_up(
            marketer,
            lead,
            interest="general",
            key_contacts=[{"person_id": person.pk, "role": "decider"}],
        )
    assert written() == before
    result = follow_up(marketer, lead, interest="general", information="Preisliste")
    assert result.call.created_by == marketer
    assert Lead.objects.get(pk=lead.pk).priority == Priority.B
    assert FollowUpInterest.GENERAL.label  # the choice the form shows
