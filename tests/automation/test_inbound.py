"""POST /api/v1/events: signed, idempotent events from outside tools, and the rules they
set off — the source texts' example: a known contact clicks the product video in the
newsletter, the field rep gets a follow-up task and the lead's score rises."""

from __future__ import annotations

import json
import time

import pytest

from innendienst.activities.models import Activity, ActivityType
from innendienst.automation import signing
from innendienst.automation.models import InboundEvent, InboundStatus, RuleRun, RunOutcome
from innendienst.automation.services import rule_save
from innendienst.leads.models import Lead, LeadEngagement
from tests.automation.conftest import de, signed_post

pytestmark = pytest.mark.django_db

CLICK = {
    "id": "cr-4711",
    "type": "newsletter.click",
    "email": "anna.berger@mueller.de",
    "occurred_at": "2026-11-30T09:15:00+01:00",
    "data": {"link": "https://example.com/produktvideo-pumpen", "mailing": "März"},
}


@pytest.fixture
def video_rule(manager):
    return rule_save(
        actor=manager,
        rule=None,
        data={
            "name": "Produktvideo geklickt",
            "trigger": "inbound:newsletter.click",
            "conditions": {"detail_contains": "produktvideo"},
            "actions": [
                {"kind": "task", "assignee": "field_rep", "subject": "Nachfassen: Produktvideo",
                 "due_days": 2},
                {"kind": "score", "points": 8, "label": "Produktvideo angesehen"},
            ],
        },
    )  # fmt: skip


def test_it_creates_a_task_for_the_field_rep_and_raises_the_score(
    client, source, video_rule, lead, field_rep, manager, django_capture_on_commit_callbacks
):
    score_before = lead.score
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_post(client, source, CLICK)
    assert response.status_code == 202, response.content
    event = InboundEvent.objects.get()
    assert (event.person, event.company, event.status) == (
        lead.person, lead.company, InboundStatus.PROCESSED,
    )  # fmt: skip
    task = Activity.objects.get(kind=ActivityType.TASK, assigned_to=field_rep)
    assert task.subject == "Nachfassen: Produktvideo"
    assert task.person == lead.person
    assert task.created_by == manager  # the rule runs as whoever saved it
    engagement = LeadEngagement.objects.get(lead=lead)
    assert (engagement.points, engagement.label) == (8, "Produktvideo angesehen")
    lead = Lead.objects.get(pk=lead.pk)
    assert lead.score == score_before + 8
    assert ["engagement", 8] in lead.score_reasons
    run = RuleRun.objects.get(rule=video_rule)
    assert run.outcome == RunOutcome.DONE
    assert run.inbound_event == event
    assert "Max Außendienst" in run.detail


def test_it_skips_a_click_on_another_link_and_says_why(
    client, source, video_rule, lead, django_capture_on_commit_callbacks
):
    other = {**CLICK, "data": {"link": "https://example.com/impressum"}}
    with django_capture_on_commit_callbacks(execute=True):
        assert signed_post(client, source, other).status_code == 202
    run = RuleRun.objects.get()
    assert run.outcome == RunOutcome.SKIPPED
    assert "detail_contains" in run.detail
    assert not Activity.objects.filter(kind=ActivityType.TASK).exists()


def test_it_answers_a_resent_event_once_and_runs_its_rules_once(
    client, source, video_rule, lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = signed_post(client, source, CLICK)
        again = signed_post(client, source, CLICK)
    assert (first.status_code, again.status_code) == (202, 200)
    assert first.json()["id"] == again.json()["id"]
    assert InboundEvent.objects.count() == 1
    assert RuleRun.objects.count() == 1
    assert LeadEngagement.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        (
            {signing.SIGNATURE_HEADER: "sha256=" + "0" * 64},
            "The signature does not match the body and the source's secret.",
        ),
        (
            {signing.SIGNATURE_HEADER: "sha256=äöü"},
            "The signature does not match the body and the source's secret.",
        ),
        (
            {signing.TIMESTAMP_HEADER: str(int(time.time()) - 3600)},
            "The timestamp is more than five minutes away from our clock.",
        ),
        (
            {signing.TIMESTAMP_HEADER: "gestern"},
            "X-Innendienst-Timestamp must be whole seconds since 1970.",
        ),
        (
            {signing.SOURCE_HEADER: "unknown"},
            "Unknown or inactive source: send its key in X-Innendienst-Source.",
        ),
        (
            {signing.SIGNATURE_HEADER: ""},
            "Send X-Innendienst-Timestamp and X-Innendienst-Signature.",
        ),
    ],
)
def test_it_refuses_a_badly_signed_event(client, source, contact, change, detail):
    response = signed_post(client, source, CLICK, **change)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "bad-signature"
    assert problem["detail"] == de(detail)
    assert not InboundEvent.objects.exists()


def test_it_refuses_a_stale_signature_even_with_the_right_secret(client, source, contact):
    raw = json.dumps(CLICK).encode()
    old = int(time.time()) - 600
    headers = {
        signing.SOURCE_HEADER: source.key,
        signing.TIMESTAMP_HEADER: str(old),
        signing.SIGNATURE_HEADER: signing.signature(source.secret, old, raw),
    }
    response = client.post("/api/v1/events", raw, content_type="application/json", headers=headers)
    assert response.status_code == 401
    assert not InboundEvent.objects.exists()


def test_it_refuses_an_event_of_a_paused_source(client, source, contact):
    source.active = False
    source.save()
    assert signed_post(client, source, CLICK).status_code == 401


def test_it_names_an_unknown_contact_at_the_field(client, source, contact):
    response = signed_post(client, source, {**CLICK, "email": "nobody@example.com"})
    assert response.status_code == 422
    errors = {error["field"]: error for error in response.json()["errors"]}
    assert errors["email"]["code"] == "unknown_contact"
    assert not InboundEvent.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**CLICK, "id": ""}, "id"),
        ({**CLICK, "type": "Newsletter Click"}, "type"),
        ({**CLICK, "type": "<script>alert(1)</script>"}, "type"),
        ({**CLICK, "occurred_at": "2026-11-30T09:15:00"}, "occurred_at"),
        ({**CLICK, "occurred_at": "2099-01-01T00:00:00+00:00"}, "occurred_at"),
        ({**CLICK, "data": ["a"]}, "data"),
        ({**CLICK, "data": {"blob": "x" * 9000}}, "data"),
        ({**CLICK, "colour": "blue"}, "colour"),
        ({k: v for k, v in CLICK.items() if k != "email"}, "email"),
        ("not an object", "__all__"),
    ],
)
def test_it_names_the_field_of_a_bad_event(client, source, contact, body, field):
    response = signed_post(client, source, body)
    assert response.status_code == 422, response.content
    assert field in {error["field"] for error in response.json()["errors"]}
    assert not InboundEvent.objects.exists()


def test_it_answers_a_body_that_is_not_json(client, source):
    response = signed_post(client, source, b"{not json")
    assert response.status_code == 422
    assert response.json()["type"] == "validation-error"


def test_it_refuses_a_huge_body(client, source, settings):
    response = signed_post(client, source, b'{"id": "' + b"x" * (3 * 2**20) + b'"}')
    assert response.status_code == 413


def test_it_takes_a_batch_and_answers_each_event(
    client, source, video_rule, lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signed_post(client, source, CLICK)
    batch = [
        {**CLICK, "id": "cr-4712"},
        CLICK,  # sent before
        {**CLICK, "id": "cr-4713", "email": "nobody@example.com"},
        {**CLICK, "id": "cr-4712"},  # twice in the same batch
        {**CLICK, "id": ""},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_post(client, source, batch)
    assert response.status_code == 200, response.content
    answer = response.json()
    assert (answer["accepted"], answer["duplicate"], answer["refused"]) == (1, 2, 2)
    statuses = [row["status"] for row in answer["results"]]
    assert statuses == ["accepted", "duplicate", "refused", "duplicate", "refused"]
    assert answer["results"][2]["errors"][0]["field"] == "email"
    assert answer["results"][0]["id"] == answer["results"][3]["id"]
    assert InboundEvent.objects.count() == 2
    assert RuleRun.objects.count() == 2  # one per stored event
    assert LeadEngagement.objects.count() == 2


@pytest.mark.parametrize("batch", [[], [CLICK] * 501])
def test_it_refuses_an_empty_or_huge_batch(client, source, contact, batch):
    response = signed_post(client, source, batch)
    assert response.status_code == 422
    assert not InboundEvent.objects.exists()


def test_it_processes_events_whose_job_was_lost(source, contact, video_rule, lead):
    import datetime

    from django.utils import timezone

    from innendienst.automation.services import inbound_process_stale

    event = InboundEvent.objects.create(
        source=source, event_id="lost-1", type="newsletter.click", person=contact,
        company=contact.company, occurred_at=timezone.now(), data=CLICK["data"],
        received_at=timezone.now() - datetime.timedelta(minutes=30),
    )  # fmt: skip
    assert inbound_process_stale() == 1
    event.refresh_from_db()
    assert event.status == InboundStatus.PROCESSED
    assert RuleRun.objects.get().outcome == RunOutcome.DONE


def test_it_refuses_text_the_database_cannot_store(client, source, contact):
    response = signed_post(client, source, {**CLICK, "data": {"link": "a\u0000b"}})
    assert response.status_code == 422
    assert not InboundEvent.objects.exists()


def test_it_refuses_nan_in_the_body(client, source, contact):
    raw = b'{"id": "x", "type": "newsletter.click", "email": "a@b.de", "data": {"n": NaN}}'
    assert signed_post(client, source, raw).status_code == 422


def test_it_answers_a_form_body_with_415(client, source):
    response = client.post("/api/v1/events", {"id": "x"})
    assert response.status_code == 415
    assert not InboundEvent.objects.exists()
