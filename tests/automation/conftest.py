from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils import translation

from innendienst.accounts.models import Role
from innendienst.automation import signing
from innendienst.automation.models import EventSource
from innendienst.leads.services import lead_capture
from tests import factories


@pytest.fixture(autouse=True)
def fresh_sources():
    """The API keeps sources for a few seconds; each test's are new."""
    from innendienst.automation import api

    api._sources.clear()
    yield
    api._sources.clear()


@pytest.fixture
def field_rep(team_south, territories):
    return factories.UserFactory(
        username="field", first_name="Max", last_name="Außendienst", role=Role.FIELD_SALES,
        territories=[territories["BY"]], email="max@example.com",
    )  # fmt: skip


@pytest.fixture
def manager(territories):
    return factories.UserFactory(
        username="manager", role=Role.SALES_MANAGER, territories=[territories["DE"]]
    )


@pytest.fixture
def customer(company, field_rep):
    company.field_rep = field_rep
    company.save(update_fields=["field_rep"])
    return company


@pytest.fixture
def contact(customer):
    return factories.PersonFactory(
        company=customer, first_name="Anna", last_name="Berger", email="Anna.Berger@mueller.de"
    )


@pytest.fixture
def lead(owner, customer, contact):
    data = {"source": "campaign", "source_name": "Newsletter März", "person_id": contact.pk}
    return lead_capture(actor=owner, company=customer, data=data)[0]


@pytest.fixture
def source(admin_user):
    return EventSource.objects.create(name="Newsletter", key="newsletter", created_by=admin_user)


def signed_post(client: Any, source: EventSource, body: Any, **headers: str) -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    sent = {
        signing.SOURCE_HEADER: source.key,
        **signing.signed_headers(source.secret, raw),
        **headers,
    }
    return client.post(
        "/api/v1/events",
        data=raw,
        content_type="application/json",
        headers=sent,
    )


def de(message: str) -> str:
    """The German UI text of ``message``: the language every test request gets."""
    with translation.override("de"):
        return translation.gettext(message)
