"""Hardening: login throttling, the API's answers to bad requests, security headers."""

from __future__ import annotations

import json
import logging

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from innendienst.accounts.api import FAILED_TOKENS_LIMIT
from innendienst.accounts.services import api_token_create, api_token_revoke
from innendienst.activities.models import Activity
from innendienst.core.logs import NoForbiddenTraceback
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"


def _de(message: str) -> str:
    with translation.override("de"):
        return translation.gettext(message)


# --- login throttling -------------------------------------------------------------------


def test_it_locks_a_username_after_too_many_wrong_passwords(client, owner, caplog):
    limit = settings.AXES_FAILURE_LIMIT
    answers = [
        client.post(reverse("login"), {"username": "owner", "password": f"wrong-{n}"}).status_code
        for n in range(limit + 5)
    ]
    assert answers[: limit - 1] == [200] * (limit - 1)  # the form again, with its message
    assert set(answers[limit:]) == {429}

    locked = client.post(reverse("login"), {"username": "owner", "password": PASSWORD})
    assert locked.status_code == 429
    page = locked.content.decode()
    assert _de("Login locked for now") in page
    assert "owner" not in client.session.get("_auth_user_id", "")
    assert any(
        record.levelno == logging.WARNING for record in caplog.records if "axes" in record.name
    )


def test_it_locks_an_address_that_tries_many_usernames(client, owner):
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": f"guess{n}", "password": "x"})
    response = client.post(reverse("login"), {"username": "owner", "password": PASSWORD})
    assert response.status_code == 429


def test_a_successful_login_clears_the_failures(client, owner):
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("login"), {"username": "owner", "password": f"wrong-{n}"})
    ok = client.post(reverse("login"), {"username": "owner", "password": PASSWORD})
    assert ok.status_code == 302
    client.logout()
    again = client.post(reverse("login"), {"username": "owner", "password": "wrong"})
    assert again.status_code == 200


def test_the_api_answers_429_after_too_many_failed_tokens(client, owner, company):
    _token, key = api_token_create(actor=owner, name="ERP")
    for n in range(FAILED_TOKENS_LIMIT):
        response = client.get("/api/v1/companies", headers={"Authorization": f"Bearer idt_x{n}"})
        assert response.status_code == 401
    response = client.get("/api/v1/companies", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "too-many-requests"


# --- the API's answers --------------------------------------------------------------------


@pytest.fixture
def token(owner) -> dict[str, str]:
    _token, key = api_token_create(actor=owner, name="Tests")
    return {"Authorization": f"Bearer {key}"}


def _activity_body(company) -> dict:
    return {"company_id": company.pk, "kind": "note", "subject": "Messekontakt"}


@pytest.mark.parametrize("as_session", [True, False])
@pytest.mark.parametrize("encoding", ["multipart", "form"])
def test_a_body_that_is_not_json_answers_415(client, owner, token, company, as_session, encoding):
    headers = {} if as_session else token
    if as_session:
        client.force_login(owner)
    body = _activity_body(company)
    if encoding == "multipart":
        response = client.post("/api/v1/activities", body, headers=headers)
    else:
        response = client.post(
            "/api/v1/activities",
            "&".join(f"{key}={value}" for key, value in body.items()),
            content_type="application/x-www-form-urlencoded",
            headers=headers,
        )
    assert response.status_code == 415
    assert response["Content-Type"] == "application/problem+json"
    assert not Activity.objects.exists()


def test_a_body_without_content_is_fine_where_none_is_read(client, token, company, owner):
    task = factories.ActivityFactory(
        company=company, kind="task", outcome="", occurred_at=None,
        due_at="2026-12-01T10:00:00+01:00", done=False, assigned_to=owner,
    )  # fmt: skip
    response = client.post(f"/api/v1/activities/{task.pk}/done", headers=token)
    assert response.status_code == 200


def test_a_body_over_the_limit_answers_413_as_a_problem(client, token, company):
    huge = json.dumps({**_activity_body(company), "notes": "x" * 3_000_000})
    response = client.post(
        "/api/v1/activities", huge, content_type="application/json", headers=token
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "too-large"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/companies"),
        ("patch", "/api/v1/companies/{company}"),
        ("post", "/api/v1/activities"),
        ("post", "/api/v1/activities/{activity}/done"),
    ],
)
@pytest.mark.parametrize("credentials", ["none", "unknown", "revoked"])
def test_a_write_without_valid_credentials_answers_401_not_403(
    client, owner, company, method, path, credentials
):
    activity = factories.ActivityFactory(company=company, created_by=owner)
    headers = {}
    if credentials == "unknown":
        headers = {"Authorization": "Bearer idt_not-a-token"}
    elif credentials == "revoked":
        revoked, key = api_token_create(actor=owner, name="alt")
        api_token_revoke(actor=owner, token=revoked)
        headers = {"Authorization": f"Bearer {key}"}
    url = path.format(company=company.pk, activity=activity.pk)
    response = getattr(client, method)(
        url, {"name": "X"}, content_type="application/json", headers=headers
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["type"] == "unauthorized"


def test_an_unknown_field_is_refused_at_the_field(client, token, company):
    response = client.patch(
        f"/api/v1/companies/{company.pk}",
        {"citty": "Garching"},
        content_type="application/json",
        headers=token,
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error == {
        "field": "citty",
        "message": _de("There is no such field. Please check the spelling."),
        "code": "extra_forbidden",
    }
    company.refresh_from_db()
    assert company.city == "München"


def test_a_local_time_that_does_not_exist_is_refused_as_in_the_form(client, token, company):
    body = {**_activity_body(company), "kind": "call", "outcome": "reached"}
    response = client.post(
        "/api/v1/activities",
        {**body, "occurred_at": "2026-03-29T02:30"},
        content_type="application/json",
        headers=token,
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "occurred_at"
    assert error["code"] == "ambiguous_timezone"
    assert not Activity.objects.exists()


def test_an_unknown_assignee_is_a_field_error(client, token, company):
    response = client.post(
        "/api/v1/activities",
        {**_activity_body(company), "kind": "task", "due_at": "2026-12-01T10:00",
         "assigned_to_id": 999_999},
        content_type="application/json",
        headers=token,
    )  # fmt: skip
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "assigned_to_id"
    assert error["message"] == _de("There is no such record, or you may not see it.")


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"employees": "viele"}, "employees", "Please send a whole number."),
        ({"annual_revenue": "reich"}, "annual_revenue", "Please send a number."),
        ({"source_date": "gestern"}, "source_date", "Please send a date as YYYY-MM-DD."),
        ({"name": 42}, "name", "Please send a text."),
        ({"territory_id": 99}, "territory_id", "There is no such record, or you may not see it."),
    ],
)  # fmt: skip
def test_type_errors_are_told_in_the_readers_language(client, token, company, body, field, message):
    response = client.patch(
        f"/api/v1/companies/{company.pk}", body, content_type="application/json", headers=token
    )
    assert response.status_code == 422
    errors = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert errors[field] == _de(message)


# --- search terms that are too long --------------------------------------------------------

TOO_LONG = "m" * 201


def test_the_company_list_tells_a_too_long_search_at_the_field(client, owner, company):
    client.force_login(owner)
    response = client.get(reverse("company_list"), {"q": TOO_LONG})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_q_error"' in page
    assert company.name not in page
    assert response.context["page"].paginator.count == 0


def test_the_export_refuses_a_too_long_search(client, owner, company):
    client.force_login(owner)
    response = client.get(reverse("export_companies_csv"), {"q": TOO_LONG})
    assert response.status_code == 400
    assert "200" in response.content.decode()


@pytest.mark.parametrize("path", ["/api/v1/companies", "/api/v1/people"])
def test_the_api_refuses_a_too_long_search_at_the_field(client, token, path):
    response = client.get(path, {"q": TOO_LONG}, headers=token)
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["q"]


@pytest.mark.parametrize("url_name", ["person_list", "search"])
def test_every_other_search_tells_it_too(client, owner, company, url_name):
    client.force_login(owner)
    page = client.get(reverse(url_name), {"q": TOO_LONG}).content.decode()
    assert (
        _de("Please search with at most %(limit_value)d characters.") % {"limit_value": 200} in page
    )


# --- headers ------------------------------------------------------------------------------


def test_pages_carry_a_content_security_policy_without_inline_scripts(client, owner):
    client.force_login(owner)
    response = client.get(reverse("my_day"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.parametrize(
    "url_name",
    ["my_day", "company_list", "export_companies_csv", "export_companies_xlsx", "settings"],
)
def test_logged_in_answers_are_not_stored_in_any_cache(client, owner, url_name):
    client.force_login(owner)
    response = client.get(reverse(url_name))
    assert "no-store" in response["Cache-Control"]


def test_api_answers_are_not_stored_in_any_cache(client, token):
    assert "no-store" in client.get("/api/v1/companies", headers=token)["Cache-Control"]


def test_a_refusal_is_logged_as_one_line_without_a_traceback():
    record = logging.LogRecord("django.request", logging.WARNING, "", 0, "Forbidden", None, None)
    try:
        raise PermissionDenied("Your role may not change master data.")
    except PermissionDenied:
        import sys

        record.exc_info = sys.exc_info()
    assert NoForbiddenTraceback().filter(record)
    assert record.exc_info is None


def test_a_session_write_without_the_csrf_token_is_told_in_the_readers_language(owner, company):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    response = browser.patch(
        f"/api/v1/companies/{company.pk}", {"city": "X"}, content_type="application/json"
    )
    assert response.status_code == 403
    body = response.json()
    assert body["type"] == "csrf-failed"
    assert body["title"] == _de("The security token of the page is missing or out of date.")
    company.refresh_from_db()
    assert company.city == "München"


def test_a_deactivated_user_sees_nothing_not_even_his_own_accounts(owner, company):
    from innendienst.contacts.selectors import companies_for

    owner.is_active = False
    owner.save()
    assert not companies_for(owner).exists()


def test_an_unknown_path_and_a_missing_method_are_problem_documents(client, token, company):
    missing = client.get("/api/v1/nothing-here", headers=token)
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"
    assert missing.json()["title"] == _de("Not found.")

    wrong = client.put(
        f"/api/v1/companies/{company.pk}", {}, content_type="application/json", headers=token
    )
    assert wrong.status_code == 405
    assert wrong["Content-Type"] == "application/problem+json"
    assert wrong.json()["type"] == "method-not-allowed"
    assert "PATCH" in wrong["Allow"]


def test_the_allowed_values_are_listed_without_english_words(client, token, person):
    response = client.patch(
        f"/api/v1/people/{person.pk}",
        {"buying_center_roles": ["boss"]},
        content_type="application/json",
        headers=token,
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert " or " not in error["message"]
    assert "'decider'" in error["message"]
