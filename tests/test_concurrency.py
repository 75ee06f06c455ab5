"""No lost updates: two people editing one record, in the forms and in the API."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from innendienst.accounts.models import Role
from innendienst.accounts.services import api_token_create
from innendienst.activities.models import Activity
from innendienst.contacts.models import BuyingCenterMembership, Company, CompanyStatus, Person
from tests import factories

pytestmark = pytest.mark.django_db


def _open_form(client: Client, url: str) -> dict[str, Any]:
    """What the browser would post back: every field as shown, and the hidden values."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else value
    data["seen"] = re.search(r'name="seen" value="([^"]+)"', response.content.decode())[1]
    return data


def _errors(response) -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


@pytest.fixture
def two_sessions(owner, teammate, company):
    lena, jonas = Client(), Client()
    lena.force_login(owner)
    jonas.force_login(teammate)
    return lena, jonas


def test_it_keeps_a_change_made_meanwhile_in_a_field_the_user_did_not_touch(two_sessions, company):
    lena, jonas = two_sessions
    url = reverse("company_edit", args=[company.pk])
    lenas_form = _open_form(lena, url)
    jonas_form = _open_form(jonas, url)

    assert jonas.post(url, {**jonas_form, "phone": "089 7654321"}).status_code == 302
    assert lena.post(url, {**lenas_form, "city": "Garching"}).status_code == 302

    company.refresh_from_db()
    assert (company.phone, company.city) == ("+49 89 7654321", "Garching")


def test_it_refuses_a_field_somebody_else_changed_meanwhile_and_keeps_the_input(
    two_sessions, company
):
    lena, jonas = two_sessions
    url = reverse("company_edit", args=[company.pk])
    lenas_form = _open_form(lena, url)
    jonas_form = _open_form(jonas, url)
    assert jonas.post(url, {**jonas_form, "phone": "089 7654321"}).status_code == 302

    response = lena.post(url, {**lenas_form, "phone": "089 1111111", "city": "Garching"})

    assert response.status_code == 200
    [message] = _errors(response)["phone"]
    assert "Jonas Keller" in message
    assert "+49 89 7654321" in message
    page = response.content.decode()
    assert 'value="089 1111111"' in page  # nothing typed is lost
    assert 'value="Garching"' in page
    company.refresh_from_db()
    assert (company.phone, company.city) == ("+49 89 7654321", "München")

    # She has now seen his number: saving again overwrites it, deliberately.
    again = re.search(r'name="seen" value="([^"]+)"', page)[1]
    retry = {**lenas_form, "phone": "089 1111111", "city": "Garching", "seen": again}
    assert lena.post(url, retry).status_code == 302
    company.refresh_from_db()
    assert (company.phone, company.city) == ("+49 89 1111111", "Garching")


def test_the_same_change_by_both_is_no_conflict(two_sessions, company):
    lena, jonas = two_sessions
    url = reverse("company_edit", args=[company.pk])
    lenas_form = _open_form(lena, url)
    jonas_form = _open_form(jonas, url)
    assert jonas.post(url, {**jonas_form, "city": "Garching"}).status_code == 302
    assert lena.post(url, {**lenas_form, "city": "Garching"}).status_code == 302


def test_a_tampered_form_is_refused(two_sessions, company):
    lena, _jonas = two_sessions
    url = reverse("company_edit", args=[company.pk])
    form = _open_form(lena, url)
    response = lena.post(url, {**form, "city": "Garching", "seen": form["seen"][:-3] + "xyz"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    company.refresh_from_db()
    assert company.city == "München"


def test_it_merges_the_buying_center_roles_both_changed(two_sessions, person):
    factories.BuyingCenterMembershipFactory(person=person, role="user")
    lena, jonas = two_sessions
    url = reverse("person_edit", args=[person.pk])
    lenas_form = _open_form(lena, url)
    jonas_form = _open_form(jonas, url)
    assert jonas.post(url, {**jonas_form, "roles": ["user", "decider"]}).status_code == 302

    # Lena changes only the function: Jonas's role stays.
    assert lena.post(url, {**lenas_form, "function": "Werksleiterin"}).status_code == 302
    person.refresh_from_db()
    assert person.function == "Werksleiterin"
    assert _roles(person) == {"user", "decider"}

    # Lena, still on her old form, adds "buyer" and drops "user": both apply, his stays.
    assert lena.post(url, {**lenas_form, "roles": ["buyer"]}).status_code == 302
    assert _roles(person) == {"decider", "buyer"}


def _roles(person: Person) -> set[str]:
    return set(BuyingCenterMembership.objects.filter(person=person).values_list("role", flat=True))


def test_it_protects_an_activity_being_edited(two_sessions, company, owner):
    call = factories.ActivityFactory(company=company, created_by=owner, subject="Bedarf")
    lena, jonas = two_sessions
    url = reverse("activity_edit", args=[call.pk])
    lenas_form = _open_form(lena, url)
    jonas_form = _open_form(jonas, url)
    assert jonas.post(url, {**jonas_form, "notes": "Will Angebot"}).status_code == 302
    assert lena.post(url, {**lenas_form, "subject": "Bedarf HZ-50"}).status_code == 302
    call.refresh_from_db()
    assert (call.subject, call.notes) == ("Bedarf HZ-50", "Will Angebot")
    response = lena.post(url, {**lenas_form, "notes": "Kein Bedarf"})
    assert "Jonas Keller" in _errors(response)["notes"][0]

    # Having seen his notes, she saves again and her notes win, deliberately.
    again = re.search(r'name="seen" value="([^"]+)"', response.content.decode())[1]
    assert lena.post(url, {**lenas_form, "notes": "Kein Bedarf", "seen": again}).status_code == 302
    call.refresh_from_db()
    assert call.notes == "Kein Bedarf"


def test_the_same_value_typed_differently_is_no_conflict(two_sessions, company):
    lena, jonas = two_sessions
    url = reverse("company_edit", args=[company.pk])
    lenas_form = _open_form(lena, url)
    jonas_form = _open_form(jonas, url)
    assert jonas.post(url, {**jonas_form, "phone": "+49 89 7654321"}).status_code == 302
    assert lena.post(url, {**lenas_form, "phone": "089 7654321"}).status_code == 302


def test_the_conflict_shows_the_other_value_as_the_page_would(two_sessions, company):
    lena, jonas = two_sessions
    url = reverse("company_edit", args=[company.pk])
    lenas_form = _open_form(lena, url)
    jonas_form = _open_form(jonas, url)
    jonas.post(url, {**jonas_form, "annual_revenue": "40.000.000,50", "status": "lost"})
    response = lena.post(url, {**lenas_form, "annual_revenue": "1,00", "status": "former"})
    errors = _errors(response)
    assert "„40.000.000,50“" in errors["annual_revenue"][0]
    with translation.override("de"):
        lost = str(CompanyStatus.LOST.label)
    assert f"„{lost}“" in errors["status"][0]


def test_a_field_changed_by_somebody_else_meanwhile_does_not_block_an_untouched_save(
    client, territories, company, admin_user
):
    kam = factories.UserFactory(role=Role.KEY_ACCOUNT, first_name="Katrin")
    Company.objects.filter(pk=company.pk).update(key_account_manager=kam)
    client.force_login(kam)
    url = reverse("company_edit", args=[company.pk])
    kams_form = _open_form(client, url)
    # Meanwhile the administrator moves the company to a territory the KAM does not work in.
    Company.objects.filter(pk=company.pk).update(territory=territories["NORD"])

    assert client.post(url, {**kams_form, "notes": "Jahresgespräch im März"}).status_code == 302
    company.refresh_from_db()
    assert (company.notes, company.territory) == ("Jahresgespräch im März", territories["NORD"])


def test_a_form_without_the_values_its_user_saw_is_refused(two_sessions, company):
    lena, _jonas = two_sessions
    url = reverse("company_edit", args=[company.pk])
    form = _open_form(lena, url)
    del form["seen"]
    response = lena.post(url, {**form, "city": "Garching"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    company.refresh_from_db()
    assert company.city == "München"


# --- API: ETag and If-Match -----------------------------------------------------------------


@pytest.fixture
def bearer(owner, teammate):
    def headers(user) -> dict[str, str]:
        _token, key = api_token_create(actor=user, name="Tests")
        return {"Authorization": f"Bearer {key}"}

    return {"owner": headers(owner), "teammate": headers(teammate)}


def _patch(client: Client, url: str, body: dict, headers: dict, if_match: str | None = None):
    if if_match is not None:
        headers = {**headers, "If-Match": if_match}
    return client.patch(url, body, content_type="application/json", headers=headers)


@pytest.mark.parametrize(
    ("path", "change"),
    [
        ("/api/v1/companies/{company}", {"city": "Garching"}),
        ("/api/v1/people/{person}", {"function": "Werksleiterin"}),
        ("/api/v1/activities/{activity}", {"notes": "Will Angebot"}),
    ],
)
def test_a_stale_write_answers_412_and_changes_nothing(
    client, bearer, company, person, owner, path, change
):
    activity = factories.ActivityFactory(company=company, person=person, created_by=owner)
    url = path.format(company=company.pk, person=person.pk, activity=activity.pk)
    read = client.get(url, headers=bearer["owner"])
    etag = read["ETag"]
    assert etag == f'"{read.json()["version"]}"'

    first = _patch(client, url, change, bearer["teammate"], if_match=etag)
    assert first.status_code == 200
    assert first["ETag"] != etag

    stale = _patch(client, url, {**change, "notes": "alt"} if "notes" in change else change,
                   bearer["owner"], if_match=etag)  # fmt: skip
    assert stale.status_code == 412
    assert stale["Content-Type"] == "application/problem+json"
    assert stale.json()["type"] == "precondition-failed"
    assert stale["ETag"] == first["ETag"]

    fresh = _patch(client, url, change, bearer["owner"], if_match=first["ETag"])
    assert fresh.status_code == 200


def test_if_match_may_list_several_versions(client, bearer, company):
    url = f"/api/v1/companies/{company.pk}"
    headers = bearer["owner"]
    assert _patch(client, url, {"city": "A"}, headers, if_match='"7", "8"').status_code == 412
    assert _patch(client, url, {"city": "B"}, headers, if_match='"7", "1"').status_code == 200


def test_a_write_without_if_match_is_taken(client, bearer, company):
    url = f"/api/v1/companies/{company.pk}"
    response = _patch(client, url, {"city": "Garching"}, bearer["owner"])
    assert response.status_code == 200
    assert response.json()["version"] == company.version + 1


def test_marking_done_honours_if_match(client, bearer, company, owner):
    task = factories.ActivityFactory(
        company=company,
        kind="task",
        outcome="",
        occurred_at=None,
        due_at="2026-12-01T10:00:00+01:00",
        done=False,
        assigned_to=owner,
    )
    url = f"/api/v1/activities/{task.pk}/done"
    response = client.post(url, headers={**bearer["owner"], "If-Match": '"99"'})
    assert response.status_code == 412
    assert not Activity.objects.get(pk=task.pk).done
    response = client.post(url, headers={**bearer["owner"], "If-Match": f'"{task.version}"'})
    assert response.status_code == 200
    assert response.json()["done"] is True


def test_an_unchanged_write_keeps_the_version(client, bearer, company):
    url = f"/api/v1/companies/{company.pk}"
    response = _patch(client, url, {"city": company.city}, bearer["owner"])
    assert response.json()["version"] == company.version
    assert Company.objects.get(pk=company.pk).version == company.version
    assert Person.objects.count() == 0
