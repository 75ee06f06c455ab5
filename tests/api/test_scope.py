"""Who sees and changes what through the API: the same scope as the web UI.

The access matrix (test_access_matrix.py) calls every operation as owner, teammate, outsider
and anonymous; these tests add the administrator, marketing and the audit trail.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from innendienst.activities.models import Activity
from innendienst.contacts.models import Company, Person
from innendienst.core.models import AuditAction
from innendienst.privacy.models import ConsentStatus
from tests import factories
from tests.api.helpers import audit_entries, ids_of, problem_of, row_counts

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("user_fixture", ["owner", "teammate", "admin_user"])
def test_it_shows_company_person_and_activity_to_everybody_in_scope(
    request, api_as, company, person, call, user_fixture
):
    factories.BuyingCenterMembershipFactory(person=person, role="buyer")
    api = api_as(request.getfixturevalue(user_fixture))
    body = api.get(f"/companies/{company.pk}").json()
    assert body["id"] == company.pk
    assert body["customer_number"] == company.customer_number
    assert body["country"] == "DE"
    body = api.get(f"/people/{person.pk}").json()
    assert (body["last_name"], body["company_id"]) == ("Berger", company.pk)
    assert body["buying_center_roles"] == ["buyer"]
    body = api.get(f"/activities/{call.pk}").json()
    assert (body["kind"], body["outcome"], body["person_id"]) == ("call", "reached", person.pk)
    assert body["done"] is True


def test_it_answers_404_to_an_outsider_for_every_record_of_the_company(
    api_as, outsider, company, person, call
):
    api = api_as(outsider)
    for path in (f"/companies/{company.pk}", f"/people/{person.pk}", f"/activities/{call.pk}"):
        body = problem_of(api.get(path), 404)
        assert body["type"] == "not-found"
        assert "Müller" not in json.dumps(body)


@pytest.mark.parametrize("path", ["/companies/999999", "/people/999999", "/activities/999999"])
def test_it_answers_404_for_an_unknown_id(api_as, admin_user, path):
    assert problem_of(api_as(admin_user).get(path), 404)["type"] == "not-found"


def test_it_answers_404_when_an_outsider_changes_a_company_or_person(
    api_as, outsider, company, person
):
    api = api_as(outsider)
    before = row_counts()
    problem_of(api.patch(f"/companies/{company.pk}", {"name": "Gekapert GmbH"}), 404)
    problem_of(api.patch(f"/people/{person.pk}", {"last_name": "Gekapert"}), 404)
    company.refresh_from_db()
    person.refresh_from_db()
    assert (company.name, person.last_name) == ("Müller Maschinenbau GmbH & Co. KG", "Berger")
    assert row_counts() == before


@pytest.mark.parametrize("user_fixture", ["owner", "teammate", "admin_user"])
def test_it_lets_everybody_in_scope_write_through_every_endpoint(
    request, api_as, company, person, task, territories, user_fixture
):
    actor = request.getfixturevalue(user_fixture)
    api = api_as(actor)
    created = api.post(
        "/companies", {"name": "Neukunde GmbH", "territory_id": territories["BY"].pk}
    )
    assert created.status_code == 201, created.content
    assert api.post("/people", {"company_id": company.pk, "last_name": "Neu"}).status_code == 201
    logged = api.post(
        "/activities",
        {"company_id": company.pk, "kind": "visit", "subject": "Besuch", "person_id": person.pk},
    )
    assert logged.status_code == 201, logged.content
    assert api.patch(f"/companies/{company.pk}", {"city": "Garching"}).status_code == 200
    assert api.patch(f"/people/{person.pk}", {"department": "Einkauf"}).status_code == 200
    assert api.patch(f"/activities/{task.pk}", {"notes": "Preis klären"}).status_code == 200
    assert api.post(f"/activities/{task.pk}/done").status_code == 200
    for instance in (company, person, task):
        entries = audit_entries(instance).filter(action=AuditAction.UPDATE)
        assert entries.exists(), instance
        assert {entry.actor for entry in entries} == {actor}
    for model, pk in ((Company, created.json()["id"]), (Activity, logged.json()["id"])):
        entry = audit_entries(model.objects.get(pk=pk)).get()
        assert (entry.action, entry.actor) == (AuditAction.CREATE, actor)


# --- marketing: reads the customer base, changes no master data, sees people with consent ---


def test_it_forbids_marketing_to_create_or_change_master_data(
    api_as, marketer, company, person, territories
):
    factories.ConsentFactory(person=person)
    api = api_as(marketer)
    before = row_counts()
    body = problem_of(
        api.post("/companies", {"name": "Werbung GmbH", "territory_id": territories["BY"].pk}),
        403,
    )
    assert body["type"] == "forbidden"
    for response in (
        api.patch(f"/companies/{company.pk}", {"name": "Umbenannt"}),
        api.post("/people", {"company_id": company.pk, "last_name": "Neu"}),
        api.patch(f"/people/{person.pk}", {"last_name": "Umbenannt"}),
    ):
        assert problem_of(response, 403)["type"] == "forbidden"
    assert row_counts() == before
    company.refresh_from_db()
    person.refresh_from_db()
    assert (company.name, person.last_name) == ("Müller Maschinenbau GmbH & Co. KG", "Berger")


def test_it_shows_marketing_the_companies_in_its_scope(api_as, marketer, company, north_company):
    api = api_as(marketer)
    assert api.get(f"/companies/{company.pk}").status_code == 200
    assert problem_of(api.get(f"/companies/{north_company.pk}"), 404)["type"] == "not-found"


@pytest.fixture
def consent_cases(company):
    today = timezone.localdate()
    earlier = today - datetime.timedelta(days=30)

    def person_with(name: str, *entries: tuple[str, str, datetime.date]) -> Person:
        person = factories.PersonFactory(company=company, last_name=name)
        for channel, status, recorded_on in entries:
            factories.ConsentFactory(
                person=person, channel=channel, status=status, recorded_on=recorded_on
            )
        return person

    granted, withdrawn = ConsentStatus.GRANTED, ConsentStatus.WITHDRAWN
    return {
        "granted": person_with("Erlaubt", ("email", granted, today)),
        "regranted": person_with(
            "Wiedererlaubt", ("email", withdrawn, earlier), ("email", granted, today)
        ),
        "other_channel": person_with(
            "Kanal", ("email", granted, earlier), ("phone", withdrawn, today)
        ),
        "withdrawn": person_with(
            "Widerrufen", ("email", granted, earlier), ("email", withdrawn, today)
        ),
        # Same day: the later entry (higher id) counts.
        "withdrawn_same_day": person_with(
            "Gleichtag", ("email", granted, today), ("email", withdrawn, today)
        ),
        "never": person_with("Ohne"),
    }


VISIBLE_TO_MARKETING = {"granted", "regranted", "other_channel"}


def test_it_shows_marketing_only_people_with_a_current_consent(
    api_as, marketer, owner, consent_cases
):
    marketing, inside = api_as(marketer), api_as(owner)
    for case, person in consent_cases.items():
        visible = case in VISIBLE_TO_MARKETING
        response = marketing.get(f"/people/{person.pk}")
        assert response.status_code == (200 if visible else 404), case
        assert inside.get(f"/people/{person.pk}").status_code == 200, case


def test_it_lists_and_searches_for_marketing_only_people_with_a_current_consent(
    api_as, marketer, consent_cases
):
    api = api_as(marketer)
    expected = {consent_cases[case].pk for case in VISIBLE_TO_MARKETING}
    response = api.get("/people")
    assert set(ids_of(response)) == expected
    assert response.json()["count"] == 3
    assert ids_of(api.get("/people", {"q": "Widerrufen"})) == []
    assert ids_of(api.get("/people", {"q": "Erlaubt"})) == [
        consent_cases["granted"].pk,
        consent_cases["regranted"].pk,
    ]


def test_it_hides_from_marketing_the_activities_of_people_without_consent(
    api_as, marketer, company, consent_cases
):
    with_consent = factories.ActivityFactory(company=company, person=consent_cases["granted"])
    without = factories.ActivityFactory(company=company, person=consent_cases["withdrawn"])
    about_company = factories.ActivityFactory(company=company, person=None)
    api = api_as(marketer)
    assert api.get(f"/activities/{with_consent.pk}").status_code == 200
    assert api.get(f"/activities/{about_company.pk}").status_code == 200
    problem_of(api.get(f"/activities/{without.pk}"), 404)
    problem_of(api.post(f"/activities/{without.pk}/done"), 404)


def test_it_lists_for_marketing_only_activities_of_people_with_consent(
    api_as, marketer, company, consent_cases
):
    with_consent = factories.ActivityFactory(company=company, person=consent_cases["granted"])
    factories.ActivityFactory(company=company, person=consent_cases["never"])
    about_company = factories.ActivityFactory(company=company, person=None)
    assert set(ids_of(api_as(marketer).get("/activities"))) == {with_consent.pk, about_company.pk}
