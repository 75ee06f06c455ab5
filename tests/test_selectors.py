"""Reads: search, filters, order summary and My day, always scoped by the user."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from innendienst.activities.models import ActivityType
from innendienst.activities.selectors import my_tasks
from innendienst.contacts.selectors import company_list, company_search
from innendienst.orders.models import OrderStatus
from innendienst.orders.selectors import order_summary_of
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def haystack(territories, owner, company):
    by = territories["BY"]
    return {
        "mueller": company,
        "mueller_metall": factories.CompanyFactory(
            name="Mueller Metallbau GmbH", territory=by, city="Augsburg", postcode="86150"
        ),
        "meyer": factories.CompanyFactory(name="Meyer Elektro GmbH", territory=by, city="Zürich"),
        "schmidt": factories.CompanyFactory(
            name="Schmidt Logistik GmbH", territory=by, customer_number="K-777001", city="Passau"
        ),
        "hidden": factories.CompanyFactory(name="Müller Nord GmbH", territory=territories["NORD"]),
    }


def _names(companies):
    return [company.name for company in companies]


def test_mueller_finds_mueller_first_and_nothing_outside_the_scope(owner, haystack):
    hits = _names(company_search(owner, "mueller"))
    assert hits[:2] == ["Mueller Metallbau GmbH", "Müller Maschinenbau GmbH & Co. KG"] or hits[
        :2
    ] == ["Müller Maschinenbau GmbH & Co. KG", "Mueller Metallbau GmbH"]
    assert "Müller Nord GmbH" not in hits
    assert "Schmidt Logistik GmbH" not in hits


def test_umlauts_typed_either_way_find_the_same(owner, haystack):
    assert set(_names(company_search(owner, "Müller"))) == set(
        _names(company_search(owner, "MUELLER"))
    )


def test_sound_alikes_find_each_other(owner, haystack):
    assert "Meyer Elektro GmbH" in _names(company_search(owner, "Maier"))
    assert "Meyer Elektro GmbH" in _names(company_search(owner, "meier"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Augsburg", "Mueller Metallbau GmbH"),
        ("86150", "Mueller Metallbau GmbH"),
        ("K-777001", "Schmidt Logistik GmbH"),
        ("777001", "Schmidt Logistik GmbH"),
        ("muell masch", "Müller Maschinenbau GmbH & Co. KG"),
        ("zuerich", "Meyer Elektro GmbH"),
    ],
)
def test_it_searches_city_postcode_and_customer_number(owner, haystack, query, expected):
    assert expected in _names(company_search(owner, query))


def test_every_word_must_match(owner, haystack):
    assert _names(company_search(owner, "mueller passau")) == []


def test_an_empty_query_finds_nothing_in_the_search_box(owner, haystack):
    assert company_search(owner, "  ") == []


def test_it_filters_and_sorts_the_list(owner, haystack):
    haystack["schmidt"].status = "prospect"
    haystack["schmidt"].save()
    prospects = company_list(owner, {"status": "prospect"})
    assert _names(prospects) == ["Schmidt Logistik GmbH"]
    by_city_desc = _names(company_list(owner, {"sort": "-city"}))
    assert by_city_desc[0] == "Meyer Elektro GmbH"
    mine = company_list(owner, {"responsible_id": owner.pk})
    assert _names(mine) == ["Müller Maschinenbau GmbH & Co. KG"]


def test_the_order_summary_counts_revenue_of_the_last_twelve_months(owner, company):
    today = timezone.localdate()
    recent = factories.OrderFactory(company=company, ordered_on=today - datetime.timedelta(days=20))
    factories.OrderLineFactory(order=recent, quantity=Decimal("3"), unit_price=Decimal("100"))
    old = factories.OrderFactory(company=company, ordered_on=today - datetime.timedelta(days=400))
    factories.OrderLineFactory(order=old, quantity=Decimal("50"))
    cancelled = factories.OrderFactory(company=company, status=OrderStatus.CANCELLED)
    factories.OrderLineFactory(order=cancelled, quantity=Decimal("50"))
    unpaid = factories.OrderFactory(
        company=company,
        ordered_on=today - datetime.timedelta(days=60),
        invoiced_on=today - datetime.timedelta(days=50),
        payment_due_on=today - datetime.timedelta(days=20),
    )
    factories.OrderLineFactory(order=unpaid, quantity=Decimal("1"), discount_percent=Decimal("0"))

    summary = order_summary_of(owner, company)

    # 3 × 100 − 10 % = 270; 1 × 100 = 100
    assert summary.revenue_12m == {"EUR": Decimal("370.00")}
    assert summary.margin_12m == {"EUR": Decimal("370.00") - Decimal("240.00")}
    assert summary.last_order_on == recent.ordered_on
    assert summary.orders_12m == 2
    assert summary.open_items == {"EUR": Decimal("100.00")}
    assert (summary.open_items_count, summary.overdue_items_count) == (1, 1)


def test_my_day_splits_my_open_items_by_due_date(owner, teammate, company):
    now = timezone.now()

    def task(subject, due, assignee=owner, done=False):
        return factories.ActivityFactory(
            company=company,
            kind=ActivityType.TASK,
            outcome="",
            occurred_at=None,
            subject=subject,
            due_at=due,
            done=done,
            assigned_to=assignee,
        )

    task("late", now - datetime.timedelta(days=2))
    task(
        "now",
        timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(12))),
    )
    task("soon", now + datetime.timedelta(days=3))
    task("far", now + datetime.timedelta(days=30))
    task("done", now, done=True)
    task("theirs", now, assignee=teammate)
    buckets = my_tasks(owner)
    assert [a.subject for a in buckets["overdue"]] == ["late"]
    assert [a.subject for a in buckets["today"]] == ["now"]
    assert [a.subject for a in buckets["upcoming"]] == ["soon"]


def test_a_follow_up_is_overdue_from_the_day_after_its_date(company, owner):
    today_early = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time(0, 5))
    )
    due_today = factories.ActivityFactory(
        company=company, kind="task", outcome="", occurred_at=None, due_at=today_early, done=False
    )
    due_yesterday = factories.ActivityFactory(
        company=company,
        kind="task",
        outcome="",
        occurred_at=None,
        due_at=today_early - datetime.timedelta(days=1),
        done=False,
    )
    assert not due_today.is_overdue
    assert due_yesterday.is_overdue
