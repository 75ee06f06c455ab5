"""/settings/ and /settings/tokens/<id>/revoke/: personal API tokens."""

import pytest
from django.urls import reverse

from innendienst.accounts.models import ApiToken
from innendienst.accounts.services import api_token_create

pytestmark = pytest.mark.django_db


def test_it_shows_a_new_token_once(client, owner):
    client.force_login(owner)
    response = client.post(reverse("settings"), {"name": "ERP-Schnittstelle"})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key.startswith("idt_")
    assert key in response.content.decode()
    assert ApiToken.objects.get(user=owner).key_hash == ApiToken.hash_key(key)
    page = client.get(reverse("settings")).content.decode()
    assert key not in page
    assert "ERP-Schnittstelle" in page


def test_it_refuses_a_token_without_a_name(client, owner):
    client.force_login(owner)
    response = client.post(reverse("settings"), {"name": ""})
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["name"]
    assert not ApiToken.objects.exists()


def test_it_shows_the_territories_the_user_sees(client, owner, territories):
    client.force_login(owner)
    response = client.get(reverse("settings"))
    assert list(response.context["territories"]) == [territories["BY"]]


def test_it_revokes_a_token(client, owner):
    token, _key = api_token_create(actor=owner, name="Zapier-Sync")
    client.force_login(owner)
    response = client.post(reverse("api_token_revoke", args=[token.pk]))
    assert response["Location"] == reverse("settings")
    token.refresh_from_db()
    assert not token.is_active


def test_it_lets_only_the_owner_see_and_revoke_his_api_tokens(client, owner, teammate):
    token, _key = api_token_create(actor=owner, name="Zapier-Sync")
    client.force_login(teammate)
    response = client.post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 404
    assert "Zapier-Sync" not in client.get(reverse("settings")).content.decode()
    token.refresh_from_db()
    assert token.is_active
