"""Who is calling the API: personal tokens, the browser session, and nobody (401)."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.test import Client

from innendienst.accounts.models import ApiToken
from innendienst.accounts.services import api_token_create, api_token_revoke
from tests.api.helpers import API, Api, problem_of, row_counts

pytestmark = pytest.mark.django_db


def test_it_accepts_a_valid_token_and_notes_when_it_was_used(client, owner, company):
    token, key = api_token_create(actor=owner, name="ERP-Sync")
    assert token.last_used_at is None
    response = Api(client, key).get(f"/companies/{company.pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["name"] == "Müller Maschinenbau GmbH & Co. KG"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_it_stores_only_the_hash_of_a_token(owner):
    token, key = api_token_create(actor=owner, name="ERP-Sync")
    stored = ApiToken.objects.get(pk=token.pk)
    assert key.startswith("idt_")
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {stored.key_hash, stored.prefix, stored.name}
    assert stored.prefix == key[:12]


def test_it_rejects_a_revoked_token(client, owner, company):
    token, key = api_token_create(actor=owner, name="ERP-Sync")
    api = Api(client, key)
    assert api.get(f"/companies/{company.pk}").status_code == 200
    api_token_revoke(actor=owner, token=token)
    assert problem_of(api.get(f"/companies/{company.pk}"), 401)["type"] == "unauthorized"


def test_it_rejects_the_token_of_a_deactivated_user(client, owner, company):
    _token, key = api_token_create(actor=owner, name="ERP-Sync")
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    assert problem_of(Api(client, key).get(f"/companies/{company.pk}"), 401)["type"] == (
        "unauthorized"
    )


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer {key_without_prefix}",
        "Bearer idt_{key_without_prefix}x",
        "Bearer idt_",
        "Token {key}",
        "Basic {key}",
        "{key}",
        "Bearer",
        "",
    ],
)
def test_it_rejects_a_malformed_or_unknown_token(client, owner, company, authorization):
    _token, key = api_token_create(actor=owner, name="ERP-Sync")
    header = authorization.format(key=key, key_without_prefix=key.removeprefix("idt_"))
    response = client.get(f"{API}/companies/{company.pk}", HTTP_AUTHORIZATION=header)
    assert problem_of(response, 401)["type"] == "unauthorized"
    assert response["WWW-Authenticate"] == 'Bearer realm="innendienst"'
    assert "Müller" not in response.content.decode()


def test_it_accepts_a_browser_session_but_not_a_cross_site_write(owner, company, territories):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    assert browser.get(f"{API}/companies/{company.pk}").status_code == 200
    before = row_counts()
    for response in (
        browser.patch(
            f"{API}/companies/{company.pk}",
            json.dumps({"name": "Gefälscht"}),
            content_type="application/json",
        ),
        browser.post(
            f"{API}/companies",
            json.dumps({"name": "Gefälscht", "territory_id": territories["BY"].pk}),
            content_type="application/json",
        ),
    ):
        assert problem_of(response, 403)["type"] == "csrf-failed"
    assert row_counts() == before
    company.refresh_from_db()
    assert company.name == "Müller Maschinenbau GmbH & Co. KG"
