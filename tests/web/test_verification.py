"""/companies/<id>/verify/ and /people/<id>/verify/: "checked by phone" on a channel."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_shows_a_verified_phone_on_the_360_page(client, owner, company):
    client.force_login(owner)
    response = client.post(
        reverse("company_verify", args=[company.pk]), {"channel": "phone", "method": "phone"}
    )
    assert response["Location"] == reverse("company_detail", args=[company.pk])
    page = client.get(response["Location"])
    assert page.context["verified"]["phone"].verified_by == owner
    assert 'class="verified"' in page.content.decode()


def test_it_explains_why_an_empty_channel_cannot_be_verified(client, owner, person):
    client.force_login(owner)
    response = client.post(
        reverse("person_verify", args=[person.pk]),
        {"channel": "mobile", "method": "phone"},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("person_detail", args=[person.pk]), 302)]
    assert not person.verifications.exists()
    messages = [message.level_tag for message in response.context["messages"]]
    assert messages == ["error"]


def test_it_refuses_a_form_without_channel_with_a_message(client, owner, company):
    client.force_login(owner)
    response = client.post(reverse("company_verify", args=[company.pk]), {}, follow=True)
    assert not company.verifications.exists()
    assert [message.level_tag for message in response.context["messages"]] == ["error"]
