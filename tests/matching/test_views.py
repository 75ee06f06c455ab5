"""The duplicate check in the company and person forms: hints while typing, a stop before
creating a strong match, and the confirmation in the new record's history."""

import pytest
from django.urls import reverse

from innendienst.contacts.models import Company, Person
from innendienst.core.models import AuditEntry
from innendienst.matching import keys
from innendienst.matching.models import RecordKind
from tests import factories

pytestmark = pytest.mark.django_db

NEW_COMPANY = {
    "name": "Maier Werkzeugbau KG",
    "legal_form": "kg",
    "status": "prospect",
    "street": "Hauptstr. 5",
    "postcode": "80331",
    "city": "München",
    "country": "DE",
    "currency": "EUR",
}


@pytest.fixture
def mayer(territories):
    company = factories.CompanyFactory(
        name="Mayer Werkzeugbau GmbH & Co. KG",
        legal_form="gmbh_co_kg",
        street="Hauptstraße 5",
        postcode="80331",
        city="München",
        territory=territories["BY"],
    )
    keys.refresh(RecordKind.COMPANY, [company.pk])
    return company


def test_it_shows_the_company_typed_another_way_while_she_types(client, owner, mayer):
    client.force_login(owner)
    response = client.post(reverse("duplicate_hints_company"), NEW_COMPANY)
    html = response.content.decode()
    assert response.status_code == 200
    assert mayer.get_absolute_url() in html
    assert "gleiche Straße und Hausnummer" in html
    assert "Name klingt gleich" in html
    assert "Rechtsform abweichend" in html


def test_the_hints_say_nothing_of_a_firm_she_may_not_see_but_that_it_exists(
    client, outsider, mayer
):
    client.force_login(outsider)
    html = client.post(reverse("duplicate_hints_company"), NEW_COMPANY).content.decode()
    assert mayer.name not in html
    assert "Gebiet, das Sie nicht sehen" in html


def test_the_hints_are_empty_for_a_new_firm(client, owner, mayer):
    client.force_login(owner)
    other = {**NEW_COMPANY, "name": "Schober Logistik", "street": "Am Hafen 1"}
    html = client.post(reverse("duplicate_hints_company"), other).content.decode()
    assert "Mögliche Dubletten" not in html


def test_an_edited_company_is_no_duplicate_of_itself(client, owner, mayer):
    client.force_login(owner)
    values = {**NEW_COMPANY, "name": mayer.name, "duplicate_check_record": mayer.pk}
    html = client.post(reverse("duplicate_hints_company"), values).content.decode()
    assert mayer.get_absolute_url() not in html


def test_only_who_edits_master_data_gets_hints(client, marketer, mayer):
    client.force_login(marketer)
    assert client.post(reverse("duplicate_hints_company"), NEW_COMPANY).status_code == 403


def test_it_stops_the_creation_of_a_strong_match_until_she_confirms(
    client, owner, territories, mayer
):
    client.force_login(owner)
    form = {**NEW_COMPANY, "territory": territories["BY"].pk}
    response = client.post(reverse("company_create"), form)
    html = response.content.decode()
    assert response.status_code == 200
    assert not Company.objects.filter(name="Maier Werkzeugbau KG").exists()
    assert "Das gibt es vielleicht schon." in html
    assert 'name="confirm_duplicate"' in html
    assert mayer.get_absolute_url() in html

    response = client.post(reverse("company_create"), {**form, "confirm_duplicate": "1"})
    created = Company.objects.get(name="Maier Werkzeugbau KG")
    assert response["Location"] == created.get_absolute_url()
    note = AuditEntry.objects.get(object_id=created.pk, field="duplicate_check")
    assert f"#{mayer.pk}" in note.new_value


def test_a_new_firm_is_created_without_a_question(client, owner, territories, mayer):
    client.force_login(owner)
    form = {**NEW_COMPANY, "name": "Schober Logistik", "street": "Am Hafen 1",
            "territory": territories["BY"].pk}  # fmt: skip
    response = client.post(reverse("company_create"), form)
    created = Company.objects.get(name="Schober Logistik")
    assert response["Location"] == created.get_absolute_url()
    assert not AuditEntry.objects.filter(object_id=created.pk, field="duplicate_check").exists()


def test_it_stops_a_second_juergen_schmidt_at_the_same_company(client, owner, company):
    known = factories.PersonFactory(
        company=company, first_name="Jürgen", last_name="Schmidt", phone="+49 89 555123"
    )
    keys.refresh(RecordKind.PERSON, [known.pk])
    client.force_login(owner)
    typed = {"salutation": "mr", "first_name": "Juergen", "last_name": "Schmid",
             "phone": "089 555123"}  # fmt: skip
    hints = client.post(reverse("duplicate_hints_person", args=[company.pk]), typed)
    assert known.get_absolute_url() in hints.content.decode()
    assert "gleiche Durchwahl" in hints.content.decode()

    response = client.post(reverse("person_create", args=[company.pk]), typed)
    assert response.status_code == 200
    assert not Person.objects.filter(last_name="Schmid").exists()
    client.post(reverse("person_create", args=[company.pk]), {**typed, "confirm_duplicate": "1"})
    assert Person.objects.filter(last_name="Schmid").exists()


def test_the_person_hints_of_a_company_she_may_not_see_are_not_found(client, owner, north_company):
    client.force_login(owner)
    url = reverse("duplicate_hints_person", args=[north_company.pk])
    assert client.post(url, {"last_name": "Schmid"}).status_code == 404


def test_the_forms_load_the_hints(client, owner, company, person):
    client.force_login(owner)
    for url in (
        reverse("company_create"),
        reverse("company_edit", args=[company.pk]),
        reverse("person_create", args=[company.pk]),
        reverse("person_edit", args=[person.pk]),
    ):
        html = client.get(url).content.decode()
        assert 'id="duplicate-hints"' in html, url


def test_the_hints_compare_the_vat_id_too(client, owner, territories):
    known = factories.CompanyFactory(
        name="Alpha Technik GmbH", territory=territories["BY"], vat_id="ATU13585627",
        street="", phone="",
    )  # fmt: skip
    keys.refresh(RecordKind.COMPANY, [known.pk])
    client.force_login(owner)
    typed = {"name": "Alpha Technik", "vat_id": "ATU 135 856 27", "country": "AT"}
    html = client.post(reverse("duplicate_hints_company"), typed).content.decode()
    assert "gleiche USt-IdNr." in html
