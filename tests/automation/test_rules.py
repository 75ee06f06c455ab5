"""Rules: what they may say, the loop check, and how they run on domain events."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from innendienst.activities.models import Activity, ActivityType
from innendienst.activities.services import activity_log
from innendienst.automation import engine
from innendienst.automation.models import Rule, RuleRun, RunOutcome
from innendienst.automation.services import rule_delete, rule_save
from innendienst.core.models import AuditEntry
from innendienst.leads.models import Lead, LeadEngagement, LeadStage
from innendienst.leads.services import lead_move
from tests.automation.conftest import de

pytestmark = pytest.mark.django_db

TASK = {"kind": "task", "assignee": "field_rep", "subject": "Nachfassen", "due_days": 1}
SCORE = {"kind": "score", "points": 5, "label": "Aktivität"}


def save(actor, **data):
    values = {"name": "Regel", "trigger": "lead.stage_changed", "actions": [TASK], **data}
    return rule_save(actor=actor, rule=None, data=values)


def test_it_refuses_a_rule_that_triggers_itself(manager):
    with pytest.raises(ValidationError) as caught:
        save(manager, name="Score bei Score", trigger="lead.engaged", actions=[SCORE])
    assert "„Score bei Score“ → „Score bei Score“" in caught.value.message_dict["actions"][0]
    assert not Rule.objects.exists()


def test_it_refuses_a_loop_through_another_rule_and_names_the_chain(manager):
    save(manager, name="Aufgabe → Punkte", trigger="activity.logged", actions=[SCORE])
    with pytest.raises(ValidationError) as caught:
        save(manager, name="Punkte → Aufgabe", trigger="lead.engaged", actions=[TASK])
    message = caught.value.message_dict["actions"][0]
    assert "„Punkte → Aufgabe“ → „Aufgabe → Punkte“ → „Punkte → Aufgabe“" in message


def test_it_allows_the_second_rule_of_a_loop_while_the_first_is_paused(manager):
    save(manager, name="A", trigger="activity.logged", actions=[SCORE], active=False)
    save(manager, name="B", trigger="lead.engaged", actions=[TASK])
    first = Rule.objects.get(name="A")
    with pytest.raises(ValidationError):
        rule_save(actor=manager, rule=first, data={"active": True})


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"trigger": "lead.exploded"}, "trigger"),
        ({"trigger": "inbound:Newsletter Klick"}, "trigger"),
        ({"actions": []}, "actions"),
        ({"actions": [{"kind": "explode"}]}, "actions"),
        ({"actions": [{**TASK, "assignee": "boss"}]}, "actions"),
        ({"actions": [{**TASK, "subject": ""}]}, "actions"),
        ({"actions": [{**TASK, "due_days": 9999}]}, "actions"),
        ({"actions": [{**SCORE, "points": 0}]}, "actions"),
        ({"actions": [{"kind": "stage", "stage": "converted"}]}, "actions"),
        ({"actions": [{"kind": "webhook", "webhook": 999}]}, "actions"),
        ({"actions": [{"kind": "notify", "assignee": "field_rep"}]}, "actions"),
        ({"conditions": {"colour": "blue"}}, "conditions"),
        ({"conditions": {"min_score": 101}}, "conditions"),
        ({"conditions": {"customer_group": 999}}, "conditions"),
        ({"conditions": {"lead_stage": "won"}}, "conditions"),
        ({"name": ""}, "name"),
    ],
)
def test_it_names_what_is_wrong_with_a_rule(manager, data, field):
    with pytest.raises(ValidationError) as caught:
        save(manager, **data)
    assert field in caught.value.message_dict


def test_it_lets_only_marketing_and_management_write_rules(owner, marketer, manager):
    with pytest.raises(PermissionDenied):
        save(owner)
    assert save(marketer).run_as == marketer
    rule = save(manager, name="Zweite")
    assert AuditEntry.objects.filter(object_id=rule.pk, action="create").exists()
    with pytest.raises(PermissionDenied):
        rule_delete(actor=owner, rule=rule)
    rule_delete(actor=manager, rule=rule)
    assert not Rule.objects.filter(pk=rule.pk).exists()


def test_it_runs_on_a_domain_event_with_its_conditions(
    owner, manager, lead, field_rep, django_capture_on_commit_callbacks
):
    save(manager, name="Übergabe", conditions={"lead_stage": "sql"},
         actions=[{**TASK, "subject": "Besuch vorbereiten"}])  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        lead_move(actor=owner, lead=lead, to_stage=LeadStage.MQL)
    assert RuleRun.objects.get().outcome == RunOutcome.SKIPPED  # still MQL
    with django_capture_on_commit_callbacks(execute=True):
        lead_move(actor=owner, lead=Lead.objects.get(pk=lead.pk), to_stage=LeadStage.SQL)
    assert Activity.objects.get(kind=ActivityType.TASK).assigned_to == field_rep
    assert RuleRun.objects.filter(outcome=RunOutcome.DONE).count() == 1


def test_it_moves_the_lead_and_sends_the_notice(
    owner, manager, lead, field_rep, django_capture_on_commit_callbacks
):
    notice = {"kind": "notify", "assignee": "field_rep", "message": "Heißer Lead"}
    save(manager, name="Hot", trigger="activity.logged",
         actions=[{"kind": "stage", "stage": "mql"}, notice])  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        activity_log(actor=owner, company=lead.company,
                     data={"kind": "call", "subject": "Rückruf", "outcome": "reached"})  # fmt: skip
    assert Lead.objects.get(pk=lead.pk).stage == LeadStage.MQL
    assert [message.to for message in mail.outbox] == [[field_rep.email]]
    assert "Heißer Lead" in mail.outbox[0].body


def test_it_logs_a_failed_run_and_keeps_nothing_of_it(
    owner, manager, lead, django_capture_on_commit_callbacks
):
    rule = save(manager, name="Kaputt", trigger="activity.logged",
                actions=[SCORE, {"kind": "stage", "stage": "mql"}])  # fmt: skip
    manager.is_active = False
    manager.save()
    with django_capture_on_commit_callbacks(execute=True):
        activity_log(actor=owner, company=lead.company,
                     data={"kind": "call", "subject": "Rückruf", "outcome": "reached"})  # fmt: skip
    run = RuleRun.objects.get(rule=rule)
    assert run.outcome == RunOutcome.FAILED
    assert de("The user this rule runs as is no longer active.") in run.detail
    assert not LeadEngagement.objects.exists()


def test_it_skips_an_action_without_its_subject(manager, customer, owner):
    rule = save(manager, trigger="company.updated", actions=[SCORE])
    run = engine.run_rule(rule, "company.updated", engine.Subject(company=customer))
    assert run.outcome == RunOutcome.SKIPPED
    assert de("no open lead") in run.detail


def test_it_stops_a_chain_that_got_past_the_check(manager, lead, monkeypatch):
    rule = save(manager, trigger="company.updated", actions=[SCORE])
    monkeypatch.setattr(engine, "_depth", engine._depth)
    token = engine._depth.set(engine.MAX_DEPTH)
    try:
        runs = engine.run_rules("company.updated", engine.Subject(company=lead.company, lead=lead))
    finally:
        engine._depth.reset(token)
    assert [run.outcome for run in runs] == [RunOutcome.SKIPPED]
    assert runs[0].detail.startswith(
        de("stopped: rules triggered each other %(depth)s times in a row")[:8]
    )
    assert not LeadEngagement.objects.exists()
    assert rule.pk == runs[0].rule_id


def test_it_stops_a_real_loop_of_two_rules_saved_behind_the_check(
    owner, manager, lead, django_capture_on_commit_callbacks
):
    # Saved at the same moment by two people, each passing the check alone.
    for name, trigger, action in (
        ("Punkte bei Aufgabe", "activity.logged", SCORE),
        ("Aufgabe bei Punkten", "lead.engaged", {**TASK, "assignee": "inside_rep"}),
    ):
        Rule.objects.create(name=name, trigger=trigger, actions=[action], run_as=manager)
    with django_capture_on_commit_callbacks(execute=True):
        activity_log(actor=owner, company=lead.company,
                     data={"kind": "call", "subject": "Rückruf", "outcome": "reached"})  # fmt: skip
    runs = list(RuleRun.objects.order_by("id"))
    assert runs[-1].outcome == RunOutcome.SKIPPED
    assert len(runs) == engine.MAX_DEPTH + 1
    assert LeadEngagement.objects.count() <= engine.MAX_DEPTH


def test_an_unexpected_error_fails_the_rule_but_not_the_others(manager, lead, monkeypatch):
    save(manager, name="Kaputt", trigger="company.updated", actions=[SCORE])
    save(manager, name="Heil", trigger="company.updated", actions=[{**SCORE, "points": 3}])
    real = engine.run_rule

    def exploding(rule, *args, **kwargs):
        if rule.name == "Kaputt":
            raise RuntimeError("boom")
        return real(rule, *args, **kwargs)

    monkeypatch.setattr(engine, "run_rule", exploding)
    runs = engine.run_rules("company.updated", engine.Subject(company=lead.company, lead=lead))
    assert [(run.rule.name, run.outcome) for run in runs] == [
        ("Heil", RunOutcome.DONE), ("Kaputt", RunOutcome.FAILED),
    ]  # fmt: skip


def test_a_mail_server_that_fails_stops_nothing(
    owner, manager, lead, django_capture_on_commit_callbacks, monkeypatch
):
    def down(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(engine, "send_mail", down)
    notice = {"kind": "notify", "assignee": "inside_rep", "message": "Lead aktiv"}
    save(manager, name="Mail", trigger="activity.logged", actions=[notice, SCORE])
    with django_capture_on_commit_callbacks(execute=True):
        activity_log(actor=owner, company=lead.company,
                     data={"kind": "call", "subject": "Rückruf", "outcome": "reached"})  # fmt: skip
    assert RuleRun.objects.get().outcome == RunOutcome.DONE
    assert LeadEngagement.objects.count() == 1


def test_marketing_sees_the_runs_of_its_companies_only(marketer, manager, lead, north_company):
    from innendienst.automation.selectors import runs_of

    rule = save(manager, trigger="company.updated", actions=[SCORE])
    engine.run_rule(rule, "company.updated", engine.Subject(company=lead.company, lead=lead))
    engine.run_rule(rule, "company.updated", engine.Subject(company=north_company))
    assert {run.company for run in runs_of(marketer)} == {lead.company}
    assert {run.company for run in runs_of(manager)} == {lead.company, north_company}
