"""The leads import target: the badge scanner's file of the trade fair becomes leads at the
contacts and companies it names, matched or created as the people import does."""

from __future__ import annotations

import io

import pytest

from innendienst.contacts.models import Company, Person
from innendienst.core.registry import RowCheck, RowOutcome
from innendienst.imports.models import ImportRow, ImportStatus
from innendienst.imports.services import import_create, import_undo
from innendienst.leads.import_targets import _contact
from innendienst.leads.models import Lead, LeadStageChange
from tests import factories

pytestmark = pytest.mark.django_db

FAIR = (
    "Anrede;Vorname;Nachname;Firma;PLZ;Ort;E-Mail;Interesse;Bedarf\n"
    "Frau;Eva;Klein;Klein Bau GmbH;80331;München;eva@klein.de;Pumpen;40 Stück mit Montage\n"
    "Herr;Jan;Klein;Klein Bau GmbH;80331;München;jan@klein.de;Ventile;\n"
    "Herr;Jan;Klein;Klein Bau GmbH;80331;München;jan@klein.de;Ventile;\n"
    "Dr.;Max;Fehler;Fehler AG;80331;München;;;\n"
    "Frau;Anna;Berger;Müller Maschinenbau GmbH & Co. KG;80331;München;anna@mueller.de;Pumpen;\n"
)
AT_THE_FAIR = {
    "company_territory": "DE-BY",
    "lead_source": "Messe",
    "lead_source_name": "LogiMAT 2027",
}


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def anna(company):
    return factories.PersonFactory(
        company=company, first_name="Anna", last_name="Berger", email="anna@mueller.de"
    )


def start(user, capture, text=FAIR, **constants):
    with capture(execute=True):
        run = import_create(
            actor=user,
            file=io.BytesIO(text.encode("cp1252")),
            file_name="logimat.csv",
            target_name="leads",
            constants={**AT_THE_FAIR, **constants},
        )
    run.refresh_from_db()
    return run


def test_it_makes_a_lead_for_each_visitor_at_the_contact_it_matches_or_creates(
    owner, anna, django_capture_on_commit_callbacks
):
    run = start(owner, django_capture_on_commit_callbacks)
    assert run.status == ImportStatus.DONE, run.error
    assert run.counts == {"new": 3, "duplicate": 1, "error": 1}
    # Anna Berger is known: her lead is made at her, no second Anna.
    assert Person.objects.filter(last_name="Berger").count() == 1
    assert anna.leads.get().source_name == "LogiMAT 2027"
    eva = Lead.objects.get(person__first_name="Eva")
    assert (eva.source, eva.interests, eva.need) == ("trade_fair", "Pumpen", "40 Stück mit Montage")
    assert eva.owner == owner  # the new company has no inside rep yet
    assert eva.sla_kind == "first_contact"
    assert eva.sla_due_at is not None
    assert anna.leads.get().owner == owner  # the company's inside rep
    assert LeadStageChange.objects.count() == 3
    rows = {row.number: row for row in ImportRow.objects.filter(run=run)}
    assert rows[5].errors == {"salutation": ["unbekannte Anrede"]}
    assert rows[6].created == [["leads.lead", anna.leads.get().pk]]


def test_the_same_fair_list_again_makes_no_lead_twice(
    owner, anna, django_capture_on_commit_callbacks
):
    start(owner, django_capture_on_commit_callbacks)
    again = start(owner, django_capture_on_commit_callbacks)
    assert again.counts == {"duplicate": 4, "error": 1}
    assert Lead.objects.count() == 3
    # Another fair is another lead of the same people.
    other = start(owner, django_capture_on_commit_callbacks, lead_source_name="Hannover Messe")
    assert other.counts == {"new": 3, "duplicate": 1, "error": 1}
    assert Lead.objects.count() == 6


def test_it_refuses_rows_without_a_known_source_or_a_fair_without_its_name(
    owner, territories, django_capture_on_commit_callbacks
):
    run = start(owner, django_capture_on_commit_callbacks, lead_source="Fax")
    assert run.counts.get("new", 0) == 0
    row = ImportRow.objects.filter(run=run, number=2).get()
    assert row.errors == {"lead_source": ["unbekannte Quelle"]}
    run = start(owner, django_capture_on_commit_callbacks, lead_source_name="")
    row = ImportRow.objects.filter(run=run, number=2).get()
    assert row.errors == {"lead_source_name": ["Bitte die Messe angeben."]}
    assert not Lead.objects.exists()


def test_an_undo_takes_the_leads_and_the_contacts_the_import_made(
    owner, anna, django_capture_on_commit_callbacks
):
    run = start(owner, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        import_undo(actor=owner, run=run)
    assert not Lead.objects.exists()
    assert not LeadStageChange.objects.exists()
    assert list(Person.objects.all()) == [anna]
    assert not Company.objects.filter(name="Klein Bau GmbH").exists()


def test_a_contact_whose_first_row_fails_is_not_imported_by_his_next_row(
    owner, territories, django_capture_on_commit_callbacks
):
    text = (
        "Anrede;Vorname;Nachname;Firma;PLZ;Ort;E-Mail;Leadquelle\n"
        "Frau;Eva;Klein;Klein Bau GmbH;80331;München;eva@klein.de;Zeitung\n"
        "Frau;Eva;Klein;Klein Bau GmbH;80331;München;eva@klein.de;Empfehlung\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = import_create(
            actor=owner,
            file=io.BytesIO(text.encode("cp1252")),
            file_name="liste.csv",
            target_name="leads",
            constants={"company_territory": "DE-BY"},
        )
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE, run.error
    assert run.counts == {"error": 2}
    second = ImportRow.objects.get(run=run, number=3)
    assert "Zeile 2" in second.errors[""][0]
    assert not Lead.objects.exists()
    assert not Person.objects.exists()


def test_a_possible_duplicate_gets_a_lead_of_its_own(anna):
    """The contact a row only resembles is not the row's contact: the row creates its own."""
    resembling = RowCheck(outcome=RowOutcome.POSSIBLE_DUPLICATE, record=anna)
    assert _contact(resembling, 7, {}) == ("row", 7)
    known = RowCheck(outcome=RowOutcome.DUPLICATE, record=anna)
    assert _contact(known, 8, {}) == ("record", anna.pk)
