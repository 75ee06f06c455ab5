"""accounts.services: API tokens and the territory tree."""

import pytest

from innendienst.accounts.models import ApiToken
from innendienst.accounts.services import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    territory_save,
)
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_stores_api_tokens_hashed_and_revokes_them(owner):
    token, key = api_token_create(actor=owner, name="ERP")
    assert key.startswith("idt_")
    assert key not in token.key_hash
    assert ApiToken.objects.get().key_hash == ApiToken.hash_key(key)
    assert api_token_authenticate(key) == owner
    api_token_revoke(actor=owner, token=token)
    assert api_token_authenticate(key) is None
    assert api_token_authenticate("idt_wrong") is None


def test_it_moves_the_subtree_with_a_territory(territories):
    austria = factories.TerritoryFactory(code="AT", name="Österreich", country="AT")
    bavaria = territories["BY"]
    munich = factories.TerritoryFactory(code="DE-BY-M", name="München", parent=bavaria)
    bavaria.parent = austria
    territory_save(actor=None, territory=bavaria)
    munich.refresh_from_db()
    assert (bavaria.path, munich.path) == ("/AT/DE-BY/", "/AT/DE-BY/DE-BY-M/")
