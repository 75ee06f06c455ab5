"""A write checks the actor's scope once, however many steps it takes."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from innendienst.contacts.models import BuyingCenterMembership, Company, Person
from innendienst.contacts.services import person_create

pytestmark = pytest.mark.django_db


def test_creating_a_person_with_a_role_checks_the_scope_once(
    owner, company, django_assert_num_queries
):
    for model in (Company, Person):
        ContentType.objects.get_for_model(model)  # cached for the life of the process
    # savepoint, the user's territories, the company in his scope, the person, its audit
    # entry, the role, the role's audit note, release
    with django_assert_num_queries(8):
        person = person_create(
            actor=owner, company=company, data={"last_name": "Huber"}, roles=["decider"]
        )
    assert BuyingCenterMembership.objects.get(person=person).role == "decider"
