"""activities.services: logging calls, planning follow-ups, changing and completing them."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from innendienst.accounts.models import Role
from innendienst.activities.models import Activity, ActivityType
from innendienst.activities.services import activity_complete, activity_log, activity_update
from innendienst.core.audit import describe
from innendienst.core.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


def entries_of(instance):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk
    )


def test_it_logs_a_call_and_plans_the_follow_up(owner, company, person):
    follow_up_at = timezone.now() + datetime.timedelta(days=3)
    call, follow_up = activity_log(
        actor=owner,
        company=company,
        data={"kind": "call", "person": person, "subject": "Bedarf Q1", "outcome": "callback"},
        follow_up_at=follow_up_at,
    )
    assert call.done
    assert call.occurred_at is not None
    assert call.created_by == owner
    assert follow_up.kind == ActivityType.TASK
    assert follow_up.due_at == follow_up_at
    assert follow_up.assigned_to == owner
    assert not follow_up.done
    assert follow_up.follow_up_of == call
    activity_complete(actor=owner, activity=follow_up)
    follow_up.refresh_from_db()
    assert follow_up.done
    assert follow_up.done_at is not None
    assert entries_of(follow_up).filter(field="done", new_value="true").exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "call", "subject": "Ohne Ergebnis"}, "outcome"),
        ({"kind": "visit", "subject": "Besuch", "outcome": "reached"}, "outcome"),
        ({"kind": "call", "subject": "", "outcome": "reached"}, "subject"),
        ({"kind": "task", "subject": "Ohne Datum"}, "due_at"),
        (
            {
                "kind": "call",
                "subject": "Zukunft",
                "outcome": "reached",
                "occurred_at": timezone.now() + datetime.timedelta(days=1),
            },
            "occurred_at",
        ),
    ],
)
def test_it_rejects_invalid_activities(owner, company, data, field):
    with pytest.raises(ValidationError) as error:
        activity_log(actor=owner, company=company, data=data)
    assert field in error.value.message_dict
    assert not Activity.objects.exists()


def test_it_rejects_a_contact_of_another_company(owner, company, territories):
    stranger = factories.PersonFactory(
        company=factories.CompanyFactory(territory=territories["BY"])
    )
    with pytest.raises(ValidationError) as error:
        activity_log(
            actor=owner,
            company=company,
            data={"kind": "call", "subject": "x", "outcome": "reached", "person": stranger},
        )
    assert "person" in error.value.message_dict
    assert not Activity.objects.exists()


def test_it_lets_marketing_log_activities_but_change_only_its_own(territories, company, owner):
    marketing = factories.UserFactory(role=Role.MARKETING, territories=[territories["DE"]])
    own, _follow_up = activity_log(
        actor=marketing, company=company, data={"kind": "note", "subject": "Messekontakt"}
    )
    assert own.created_by == marketing
    others = factories.ActivityFactory(
        company=company,
        kind="task",
        outcome="",
        occurred_at=None,
        due_at=own.occurred_at,
        done=False,
        assigned_to=owner,
        created_by=owner,
    )
    with pytest.raises(PermissionDenied):
        activity_complete(actor=marketing, activity=others)
    others.refresh_from_db()
    assert not others.done
    assert activity_complete(actor=owner, activity=others).done


def test_it_shows_a_changed_due_date_in_local_time_in_the_history(owner, company):
    task = factories.ActivityFactory(
        company=company,
        kind="task",
        outcome="",
        occurred_at=None,
        due_at=timezone.now() + datetime.timedelta(days=1),
        done=False,
        assigned_to=owner,
        created_by=owner,
    )
    nine = timezone.make_aware(
        datetime.datetime.combine(
            timezone.localdate() + datetime.timedelta(days=2), datetime.time(9)
        )
    )
    activity_update(actor=owner, activity=task, data={"due_at": nine})
    entry = AuditEntry.objects.get(field="due_at")
    assert describe([entry])[0].new.endswith("09:00")
