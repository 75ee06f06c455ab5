"""/i18n/setlang/: German by default, English on request (open to everybody)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_speaks_german_by_default_and_english_on_request(client, owner):
    client.force_login(owner)
    assert 'lang="de"' in client.get(reverse("my_day")).content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("my_day")})
    assert response["Location"] == reverse("my_day")
    assert 'lang="en"' in client.get(reverse("my_day")).content.decode()
