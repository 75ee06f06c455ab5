"""/companies/<id>/activities/new/, /activities/<id>/edit/ and /activities/<id>/done/: logging
calls and planning follow-ups, in the dialog of the 360° page and as pages."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from innendienst.accounts.models import Role
from innendienst.activities.forms import EDITABLE_FIELDS
from innendienst.activities.models import Activity
from innendienst.core.models import AuditEntry
from tests import factories
from tests.forms import seen_of

pytestmark = pytest.mark.django_db


def test_it_sends_htmx_back_to_the_360_page_after_logging_a_call(client, owner, company, person):
    client.force_login(owner)
    follow_up = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("activity_create", args=[company.pk]),
        {
            "kind": "call",
            "person": person.pk,
            "subject": "Nachfrage Angebot",
            "outcome": "callback",
            "follow_up_at": follow_up,
        },
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="activity-form",
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("company_detail", args=[company.pk])
    assert Activity.objects.filter(kind="call", outcome="callback", created_by=owner).count() == 1
    assert Activity.objects.filter(kind="task", done=False, assigned_to=owner).count() == 1


def test_it_redirects_to_the_360_page_after_logging_without_htmx(client, owner, company):
    client.force_login(owner)
    response = client.post(
        reverse("activity_create", args=[company.pk]),
        {"kind": "note", "subject": "Messekontakt"},
    )
    assert response["Location"] == reverse("company_detail", args=[company.pk])
    assert Activity.objects.get().subject == "Messekontakt"


def test_it_returns_the_form_fragment_with_the_error_for_a_call_without_outcome(
    client, owner, company
):
    client.force_login(owner)
    response = client.post(
        reverse("activity_create", args=[company.pk]),
        {"kind": "call", "subject": "Kurz angerufen", "notes": "Rückruf erbeten"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="activity-form",
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert page.lstrip().startswith("<form")
    assert 'id="id_outcome_error"' in page
    assert "Rückruf erbeten" in page
    assert not Activity.objects.exists()


def test_it_saves_a_changed_activity_and_returns_to_the_360_page(client, owner, company, call):
    client.force_login(owner)
    url = reverse("activity_edit", args=[call.pk])
    assert client.get(url).context["form"]["subject"].value() == "Bedarf Hydraulik"
    response = client.post(
        url,
        {
            "kind": "call",
            "person": call.person_id,
            "subject": "Bedarf Pneumatik",
            "outcome": "reached",
            "occurred_at": timezone.localtime(call.occurred_at).strftime("%Y-%m-%dT%H:%M"),
            "seen": seen_of(call, EDITABLE_FIELDS),
        },
    )
    assert response["Location"] == reverse("company_detail", args=[company.pk])
    call.refresh_from_db()
    assert call.subject == "Bedarf Pneumatik"
    entry = AuditEntry.objects.get(object_id=call.pk, field="subject")
    assert (entry.old_value, entry.new_value) == ("Bedarf Hydraulik", "Bedarf Pneumatik")


def test_it_forbids_marketing_to_open_someone_elses_activity(client, territories, call):
    marketing = factories.UserFactory(role=Role.MARKETING, territories=[territories["DE"]])
    factories.ConsentFactory(person=call.person)
    client.force_login(marketing)
    assert client.get(reverse("activity_edit", args=[call.pk])).status_code == 403


def test_it_returns_to_a_local_page_only_after_completing_a_follow_up(client, owner, task):
    client.force_login(owner)
    response = client.post(
        reverse("activity_complete", args=[task.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("my_day")
    task.refresh_from_db()
    assert task.done
    assert AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(task), object_id=task.pk, field="done"
    ).exists()
    other = factories.ActivityFactory(
        company=task.company, kind="task", outcome="", occurred_at=None,
        due_at=task.due_at, done=False, assigned_to=owner,
    )  # fmt: skip
    back = reverse("company_detail", args=[task.company_id])
    response = client.post(reverse("activity_complete", args=[other.pk]), {"next": back})
    assert response["Location"] == back
