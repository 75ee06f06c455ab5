"""matching.selectors: the candidates a new company or person may duplicate, as the user sees
them; the keys follow the services' writes."""

import pytest

from innendienst.contacts import services
from innendienst.contacts.models import Company
from innendienst.imports.services import import_undo
from innendienst.matching import keys
from innendienst.matching.models import MatchKey, RecordKind
from innendienst.matching.selectors import company_matches, person_matches
from tests import factories
from tests.imports.test_import import start

TYPED = {"name": "Maier Werkzeugbau KG", "street": "Hauptstr. 5", "postcode": "80331",
         "city": "München", "country": "DE"}  # fmt: skip


@pytest.fixture
def mayer(territories, owner):
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


def test_it_finds_the_company_typed_another_way(owner, mayer):
    matches = company_matches(owner, TYPED)
    assert [c.record for c in matches.strong] == [mayer]
    assert matches.candidates[0].score.levels["name"] == "sound"
    assert matches.hidden == 0


def test_it_names_only_the_number_of_matches_the_user_may_not_see(outsider, mayer):
    matches = company_matches(outsider, TYPED)
    assert matches.candidates == []
    assert matches.hidden == 1


def test_a_company_is_no_duplicate_of_itself(owner, mayer):
    values = {"name": mayer.name, "street": mayer.street, "postcode": mayer.postcode}
    assert company_matches(owner, values, exclude=mayer.pk).candidates == []


def test_a_different_firm_is_no_candidate(owner, mayer):
    other = {"name": "Schober Logistik AG", "street": "Am Hafen 1", "postcode": "20095",
             "city": "Hamburg"}  # fmt: skip
    assert company_matches(owner, other).candidates == []


def test_a_name_of_only_a_legal_form_finds_nothing_and_does_not_fail(owner, mayer):
    assert company_matches(owner, {"name": "GmbH"}).candidates == []
    assert company_matches(owner, {"name": ""}).candidates == []


def test_the_keys_follow_a_company_created_and_changed_through_the_services(
    owner, territories, django_capture_on_commit_callbacks
):
    data = {**TYPED, "territory": territories["BY"], "legal_form": "kg", "inside_rep": owner}
    with django_capture_on_commit_callbacks(execute=True):
        created = services.company_create(actor=owner, data=data)
    assert MatchKey.objects.filter(kind=RecordKind.COMPANY, record_id=created.pk).exists()
    typed_again = {**TYPED, "name": "Maier Werkzeugbau"}
    assert [c.record for c in company_matches(owner, typed_again).strong] == [created]
    with django_capture_on_commit_callbacks(execute=True):
        services.company_update(
            actor=owner, company=created, data={"street": "Bahnhofstraße 9", "postcode": "80335"}
        )
    assert company_matches(owner, typed_again).strong == []


def test_an_undone_import_takes_the_keys_of_its_records_along_and_keeps_the_others(
    owner, mayer, settings, tmp_path, django_capture_on_commit_callbacks
):
    """Left behind, they would count as namesakes of the same file imported again."""
    settings.MEDIA_ROOT = tmp_path
    text = (
        "Vorname;Nachname;Firma;PLZ;Ort;E-Mail\n"
        "Ida;Neu;Neubau GmbH;80331;München;ida@neubau.de\n"
        f"Ole;Alt;{mayer.name};{mayer.postcode};{mayer.city};ole@mayer.de\n"
    )
    run = start(owner, text, capture=django_capture_on_commit_callbacks)
    neubau = Company.objects.get(name="Neubau GmbH")
    assert MatchKey.objects.filter(kind=RecordKind.PERSON).count() > 10
    assert MatchKey.objects.filter(kind=RecordKind.COMPANY, record_id=neubau.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        import_undo(actor=owner, run=run)
    assert not MatchKey.objects.filter(kind=RecordKind.PERSON).exists()
    assert set(
        MatchKey.objects.filter(kind=RecordKind.COMPANY).values_list("record_id", flat=True)
    ) == {mayer.pk}


def test_it_finds_the_person_typed_another_way(owner, company):
    known = factories.PersonFactory(
        company=company, first_name="Jürgen", last_name="Schmidt", phone="+49 89 555123",
        email="j.schmidt@mueller-maschinenbau.de",
    )  # fmt: skip
    factories.PersonFactory(company=company, first_name="Anna", last_name="Schmidt")
    keys.refresh(RecordKind.PERSON, [p.pk for p in company.people.all()])
    typed = {"first_name": "Juergen", "last_name": "Schmid", "phone": "089 555123"}
    matches = person_matches(owner, typed, company)
    assert [c.record for c in matches.strong] == [known]
    assert "gleiche Durchwahl" in matches.strong[0].score.explanation()


def test_a_colleague_of_the_same_surname_is_no_duplicate(owner, company):
    factories.PersonFactory(company=company, first_name="Thomas", last_name="Schmidt")
    keys.refresh(RecordKind.PERSON, [p.pk for p in company.people.all()])
    typed = {"first_name": "Anna", "last_name": "Schmidt"}
    assert person_matches(owner, typed, company).strong == []


def test_ten_thousand_namesakes_are_no_candidates_by_name_alone(owner, company):
    """A surname held by thousands finds nobody by itself; the check stays quick."""
    people = factories.PersonFactory.create_batch(
        keys.BLOCK_LIMIT + 5, company=company, first_name="Thomas", last_name="Müller", email=""
    )
    keys.refresh(RecordKind.PERSON, [p.pk for p in people])
    typed = {"first_name": "Thomas", "last_name": "Müller"}
    matches = person_matches(owner, typed, company)
    assert len(matches.candidates) <= 5
