"""The SLA sweep (warn the rep before and at the deadline, escalate to the managers who see
the lead, each once) and the SLA report, with a frozen clock."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from innendienst.accounts.models import Role
from innendienst.core import events
from innendienst.core.models import AuditEntry
from innendienst.leads import sla
from innendienst.leads.aging import decay_priorities
from innendienst.leads.models import AlertKind, LeadAlert
from innendienst.leads.selectors import leads_for
from innendienst.leads.services import lead_capture, lead_move, leads_contacted
from innendienst.leads.sla import my_escalations, sla_report, sla_sweep
from tests import factories

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY_MORNING = datetime.datetime(2026, 12, 7, 9, tzinfo=BERLIN)
# 16 business hours of a fair lead in Bavaria: Monday 9–17 and Tuesday 8–16.
DUE = datetime.datetime(2026, 12, 8, 16, tzinfo=BERLIN)


@pytest.fixture
def managers(territories, team_south):
    south = factories.UserFactory(
        username="leitung", role=Role.SALES_MANAGER, territories=[territories["DE"]]
    )
    north = factories.UserFactory(
        username="leitung-nord", role=Role.SALES_MANAGER, territories=[territories["NORD"]]
    )
    return south, north


@pytest.fixture
def lead(owner, company, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: MONDAY_MORNING)
    captured, _created = lead_capture(
        actor=owner,
        company=company,
        data={"source": "trade_fair", "source_name": "LogiMAT 2027"},
    )
    monkeypatch.undo()
    assert captured.sla_due_at == DUE
    return captured


def alerts():
    return sorted(
        (alert.kind, alert.recipient.username) for alert in LeadAlert.objects.select_related()
    )


def test_it_warns_the_rep_two_business_hours_before_the_deadline_once(lead):
    assert sla_sweep(now=DUE - datetime.timedelta(hours=3)) == {}
    assert sla_sweep(now=DUE - datetime.timedelta(hours=1, minutes=30)) == {"warning": 1}
    assert sla_sweep(now=DUE - datetime.timedelta(hours=1)) == {}
    lead.refresh_from_db()
    assert lead.sla_alert == AlertKind.WARNING
    assert alerts() == [("warning", "owner")]


def test_it_counts_the_warning_time_in_business_hours_over_the_weekend(owner, company):
    friday_evening = datetime.datetime(2026, 12, 4, 16, 30, tzinfo=BERLIN)
    captured, _created = lead_capture(actor=owner, company=company, data={"source": "inbound_call"})
    captured.sla_due_at = datetime.datetime(2026, 12, 7, 9, tzinfo=BERLIN)  # Monday
    captured.save()
    # Half an hour of Friday and one of Monday are left: warned on Friday already.
    assert sla_sweep(now=friday_evening) == {"warning": 1}


def test_it_reports_a_passed_deadline_to_the_rep_and_the_managers_who_see_the_lead(
    lead, managers, django_capture_on_commit_callbacks
):
    breaches = []
    events.subscribe("lead.sla_breached", breaches.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            written = sla_sweep(now=DUE + datetime.timedelta(minutes=10))
    finally:
        events.unsubscribe("lead.sla_breached", breaches.append)
    assert written == {"breach": 1, "escalation": 1}
    assert alerts() == [("breach", "owner"), ("escalation", "leitung")]
    assert [event.object_id for event in breaches] == [lead.pk]
    # Reported once: the sweep no longer reads the clock.
    assert sla_sweep(now=DUE + datetime.timedelta(hours=5)) == {}


def test_it_leaves_a_clock_alone_that_was_met(lead, company):
    leads_contacted(company_id=company.pk, at=MONDAY_MORNING + datetime.timedelta(hours=1))
    assert sla_sweep(now=DUE + datetime.timedelta(hours=1)) == {}


def test_it_reports_adherence_per_rep_and_source(lead, owner, company):
    met, _created = lead_capture(actor=owner, company=company, data={"source": "web_form"})
    met.stage_changes.update(sla_met_at=met.sla_due_at - datetime.timedelta(hours=1))
    now = DUE + datetime.timedelta(hours=1)
    since = now - datetime.timedelta(days=30)
    leads = company.leads.all()
    [row] = sla_report(leads, since=since, group="owner", now=now)
    assert (row["clocks"], row["in_time"], row["overdue"], row["adherence"]) == (2, 1, 1, 50)
    by_source = {
        row["lead__source"]: row["adherence"]
        for row in sla_report(leads, since=since, group="source", now=now)
    }
    assert by_source == {"trade_fair": 0, "web_form": 100}


def test_it_shows_the_escalation_to_the_manager_and_on_the_lead(client, lead, managers):
    sla_sweep(now=timezone.now() + datetime.timedelta(days=30))
    client.force_login(managers[0])
    my_day = client.get(reverse("my_day")).content.decode()
    assert 'id="h-lead-escalations"' in my_day
    assert reverse("lead_detail", args=[lead.pk]) in my_day
    page = client.get(reverse("lead_detail", args=[lead.pk])).content.decode()
    assert 'id="h-alerts"' in page
    report = client.get(reverse("lead_sla_report"), {"by": "team", "days": "365"})
    assert report.status_code == 200
    assert "Innendienst Süd" in report.content.decode()


def test_it_lowers_the_priority_of_leads_nobody_works_one_step_a_night(owner, company):
    fresh, _created = lead_capture(
        actor=owner, company=company, data={"source": "referral", "priority": "a"}
    )
    stale, _created = lead_capture(
        actor=owner, company=company, data={"source": "inbound_call", "priority": "a"}
    )
    now = timezone.now()
    stale.__class__.objects.filter(pk=stale.pk).update(touched_at=now - datetime.timedelta(30))
    assert decay_priorities(now) == 1
    assert decay_priorities(now + datetime.timedelta(days=1)) == 1
    assert decay_priorities(now + datetime.timedelta(days=2)) == 0
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.priority, fresh.priority) == ("c", "a")
    assert AuditEntry.objects.filter(object_id=stale.pk, field="priority", actor=None).count() == 2


def test_it_does_not_report_a_clock_the_lead_left_after_the_sweep_read_it(lead, owner, monkeypatch):
    """The rep moves the lead on while the sweep runs: no breach for the new stage."""

    real = sla._sweep_chunk

    def moved_meanwhile(sweep, leads):
        lead_move(actor=owner, lead=lead, to_stage="disqualified", reason="spam")
        return real(sweep, leads)

    monkeypatch.setattr(sla, "_sweep_chunk", moved_meanwhile)
    assert sla_sweep(now=DUE + datetime.timedelta(hours=1)) == {}
    assert not LeadAlert.objects.exists()


def test_a_manager_no_longer_sees_an_escalation_once_the_lead_moved_on(lead, owner, managers):

    sla_sweep(now=DUE + datetime.timedelta(hours=1))
    manager = managers[0]
    assert [a.lead_id for a in my_escalations(manager, leads_for(manager), days=3650)] == [lead.pk]
    lead_move(actor=owner, lead=lead, to_stage="disqualified", reason="no_need")
    assert my_escalations(manager, leads_for(manager), days=3650) == []
