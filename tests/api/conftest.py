"""Fixtures of the API tests: a client that calls with a user's personal token."""

from __future__ import annotations

import pytest

from innendienst.accounts.services import api_token_create
from tests.api.helpers import Api


@pytest.fixture
def api_as(client):
    """``api_as(user)``: an API client with a new token of ``user``."""

    def make(user) -> Api:
        _token, key = api_token_create(actor=user, name="Tests")
        return Api(client, key)

    return make
