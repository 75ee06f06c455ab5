"""Search ranking where it matters: in the demo set of 2,000 companies, with 90 "Müller"s."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from innendienst.accounts.models import User
from innendienst.activities.models import Activity
from innendienst.activities.services import CONTACT_KINDS
from innendienst.contacts.models import Company
from innendienst.contacts.selectors import company_search
from innendienst.demo import data

pytestmark = pytest.mark.django_db

STORY = data.STORY_COMPANY.name


def test_the_rep_finds_her_customer_among_the_muellers_at_demo_size():
    call_command("demo", "--size", "small", stdout=io.StringIO())
    rep = User.objects.get(username="innendienst")
    story = Company.objects.get(name=STORY)
    assert Company.objects.filter(search_text__contains="mueller").count() > 50

    def top(query: str, n: int = 3) -> list[str]:
        return [company.name for company in company_search(rep, query, limit=n)]

    # Whole-word name matches of her own accounts first, the most recently contacted first.
    for typed in ("mueller", "Müller", "MUELLER", "muell"):
        assert STORY in top(typed), (typed, top(typed, 10))
    for typed in ("mueller masch", "Müller Maschinenbau", "müller maschinenbau gmbh & co. kg"):
        assert top(typed, 1) == [STORY], (typed, top(typed, 10))
    assert top(story.customer_number, 1) == [STORY]
    # A prefix of the name beats a word inside another name.
    assert top("mueller", 10)[0].startswith(("Müller", "Mueller"))

    # The demo keeps each company's last contact as the application does.
    newest = (
        Activity.objects.filter(company=story, kind__in=CONTACT_KINDS, occurred_at__isnull=False)
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    assert story.last_contact_at == newest
    assert Company.objects.filter(last_contact_at__isnull=False).count() > 1_500
