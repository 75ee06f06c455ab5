"""The re-qualification queue: customers who have not ordered for their customer group's
period (18 months without a checklist) and were not asked since."""

import datetime

import pytest
from django.utils import timezone

from innendienst.qualification import selectors, services
from innendienst.qualification.models import Checklist, Requalification
from innendienst.qualification.selectors import months_before
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 30)
LONG_AGO = timezone.make_aware(datetime.datetime(2020, 1, 6, 9, 0))


def customer(territories, owner, **values):
    company = factories.CompanyFactory(territory=territories["BY"], inside_rep=owner, **values)
    # A customer for years: the queue leaves out who only just arrived.
    type(company).objects.filter(pk=company.pk).update(created_at=LONG_AGO)
    company.refresh_from_db()
    return company


def ordered(company, day):
    factories.OrderFactory(company=company, ordered_on=day)


def queue(user):
    return set(selectors.requalification_queue(user, TODAY).values_list("name", flat=True))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 11, 30), 18, datetime.date(2025, 5, 30)),
        (datetime.date(2026, 8, 31), 6, datetime.date(2026, 2, 28)),
        (datetime.date(2028, 8, 31), 6, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 1, 15), 1, datetime.date(2025, 12, 15)),
    ],
)
def test_months_before_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert months_before(day, months) == expected


def test_it_queues_a_customer_who_has_not_ordered_for_18_months(territories, owner):
    quiet = customer(territories, owner, name="Still GmbH")
    ordered(quiet, datetime.date(2025, 5, 29))
    recent = customer(territories, owner, name="Aktiv GmbH")
    ordered(recent, datetime.date(2025, 5, 30))
    never = customer(territories, owner, name="Nie bestellt GmbH")
    customer(territories, owner, name="Interessent GmbH", status="prospect")
    new = factories.CompanyFactory(
        name="Neukunde GmbH", territory=territories["BY"], inside_rep=owner
    )
    assert queue(owner) == {quiet.name, never.name}
    assert new.name not in queue(owner)


def test_the_customer_groups_checklist_sets_its_period(territories, owner):
    oem = factories.CustomerGroupFactory(code="OEM")
    Checklist.objects.create(customer_group=oem, requalify_after_months=12)
    handwerk = factories.CustomerGroupFactory(code="HANDWERK")
    Checklist.objects.create(customer_group=handwerk, requalify_after_months=24)
    strict = customer(territories, owner, name="OEM GmbH", customer_group=oem)
    ordered(strict, datetime.date(2025, 11, 1))
    lenient = customer(territories, owner, name="Handwerk GmbH", customer_group=handwerk)
    ordered(lenient, datetime.date(2025, 1, 1))
    other = customer(
        territories, owner, name="Handel GmbH", customer_group=factories.CustomerGroupFactory()
    )
    ordered(other, datetime.date(2025, 1, 1))
    assert queue(owner) == {strict.name, other.name}


def test_a_requalified_customer_leaves_the_queue_for_the_period(territories, owner):
    company = customer(territories, owner, name="Still GmbH")
    services.requalification_record(actor=owner, company=company, note="Einkauf jetzt Frau Berg")
    assert queue(owner) == set()
    Requalification.objects.update(done_at=LONG_AGO)
    assert queue(owner) == {company.name}


def test_the_queue_is_the_users_scope(territories, owner, teammate, outsider):
    customer(territories, owner, name="Still GmbH")
    assert queue(teammate) == {"Still GmbH"}
    assert queue(outsider) == set()


def test_an_outsider_does_not_requalify_a_company_he_does_not_see(territories, owner, outsider):
    from django.core.exceptions import PermissionDenied

    company = customer(territories, owner)
    with pytest.raises(PermissionDenied):
        services.requalification_record(actor=outsider, company=company)
    assert not Requalification.objects.exists()
