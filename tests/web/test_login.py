"""/login/ and /logout/: open to everybody (excluded from the access matrix for that)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_logs_in_and_lands_on_my_day(client, owner):
    response = client.post(
        reverse("login"), {"username": "owner", "password": "secret-pass-123"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("my_day")
    assert "Lena Hoffmann" in response.content.decode()


def test_it_returns_to_the_page_asked_for(client, owner, company):
    detail = reverse("company_detail", args=[company.pk])
    response = client.post(
        f"{reverse('login')}?next={detail}",
        {"username": "owner", "password": "secret-pass-123"},
    )
    assert response["Location"] == detail


def test_it_rejects_a_wrong_password_with_a_message(client, owner):
    response = client.post(reverse("login"), {"username": "owner", "password": "nope"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="alert bad" role="alert"' in page
    assert "Benutzername und Passwort passen nicht zusammen" in page
    assert "_auth_user_id" not in client.session


def test_it_sends_a_logged_in_user_from_the_login_to_my_day(client, owner):
    client.force_login(owner)
    assert client.get(reverse("login"))["Location"] == reverse("my_day")


def test_it_logs_out_with_a_post_only(client, owner):
    client.force_login(owner)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("my_day"))["Location"] == f"{reverse('login')}?next=/my-day/"
