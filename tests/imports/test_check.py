"""imports.pipeline.check_file: what importing a file would do, row by row, writing nothing."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from innendienst.contacts.models import Company, Person
from innendienst.core import registry
from innendienst.core.registry import RowOutcome
from innendienst.imports.pipeline import InvalidMapping, check_file
from tests import factories

pytestmark = pytest.mark.django_db

COMPANIES = registry.import_target("companies")
PEOPLE = registry.import_target("people")


def csv_file(text, encoding="cp1252"):
    return io.BytesIO(text.encode(encoding))


def outcomes(report):
    return [
        (row.number, row.check.outcome, row.check.record, row.check.twin) for row in report.preview
    ]


def test_it_classifies_each_company_against_the_database_and_the_file(owner, company, territories):
    north = factories.CompanyFactory(territory=territories["NORD"], customer_number="K-NORD")
    file = csv_file(
        "Kundennr.;Firma;Rechtsform;PLZ;Ort;Gebiet\n"
        f"{company.customer_number};Müller Maschinenbau;GmbH & Co. KG;80331;München;Bayern\n"
        ";müller maschinenbau gmbh & co. kg;;80331;München;DE-BY\n"
        ";Müller Maschinenbau AG;AG;80331;München;DE-BY\n"
        ";Huber Hydraulik;GmbH;D-80333;München;Bayern\n"
        ";HUBER HYDRAULIK;;80333;München;Bayern\n"
        "K-NORD;Nordlicht;;20095;Hamburg;Bayern\n"
        ";Fremd GmbH;;20095;Hamburg;Nord\n"
    )
    company.postcode = "80331"
    company.save()
    report = check_file(owner, file, COMPANIES)
    assert report.mapping == [
        "customer_number",
        "name",
        "legal_form",
        "postcode",
        "city",
        "territory",
    ]
    assert outcomes(report) == [
        (2, RowOutcome.UPDATE, company, None),
        (3, RowOutcome.DUPLICATE, company, None),
        (4, RowOutcome.POSSIBLE_DUPLICATE, company, None),
        (5, RowOutcome.NEW, None, None),
        (6, RowOutcome.DUPLICATE, None, 5),
        (7, RowOutcome.ERROR, None, None),
        (8, RowOutcome.ERROR, None, None),
    ]
    assert [str(error) for error in report.errors] == [
        "Zeile 7, Kundennummer: gehört zu einer Firma, die Sie nicht sehen dürfen",
        "Zeile 8, Verkaufsgebiet: liegt in einem Gebiet, in dem Sie nicht arbeiten",
    ]
    assert report.outcomes == {
        "update": 1,
        "duplicate": 2,
        "possible_duplicate": 1,
        "new": 1,
        "error": 2,
    }
    assert Company.objects.count() == 2
    north.refresh_from_db()
    assert north.name != "Nordlicht"


def test_it_reports_each_bad_cell_with_row_field_and_message(owner, territories):
    file = csv_file(
        "Firma;PLZ;E-Mail;Mitarbeiter;Umsatz;Land\n"
        "Gut GmbH;80331;info@gut.de;12;1.234,50;Deutschland\n"
        "Schlecht GmbH;8033;keine-adresse;zwölf;viel;Mordor\n"
        ";80331;;1,5;;\n"
        "Zu lang " + "x" * 300 + ";80331;;;;;überzählig\n"
    )
    report = check_file(owner, file, COMPANIES, constants={"territory": "DE-BY"})
    assert report.preview[0].values["annual_revenue"] == Decimal("1234.50")
    assert report.preview[0].check.outcome == RowOutcome.NEW
    errors = [str(error) for error in report.errors]
    assert "Zeile 3, Mitarbeiter: keine Zahl" in errors
    assert "Zeile 3, Jahresumsatz: keine Zahl" in errors
    assert "Zeile 4, Mitarbeiter: keine ganze Zahl" in errors
    assert "Zeile 5: die Zeile hat 7 Zellen, die Kopfzeile 6" in errors
    report = check_file(
        owner,
        csv_file("Firma;PLZ;E-Mail;Land\nSchlecht GmbH;8033;keine-adresse;Mordor\n;80331;;\n"),
        COMPANIES,
        constants={"territory": "DE-BY"},
    )
    errors = [str(error) for error in report.errors]
    assert "Zeile 2, Land: unbekanntes Land" in errors
    assert (
        "Zeile 2, E-Mail der Firma: Bitte eine gültige E-Mail-Adresse eingeben." in errors
        or any(e.startswith("Zeile 2, E-Mail der Firma:") for e in errors)
    )
    assert any(e.startswith("Zeile 2, PLZ:") for e in errors)
    assert any(e.startswith("Zeile 3, Firmenname:") for e in errors)
    assert report.outcomes[RowOutcome.ERROR] == 2


def test_it_asks_for_a_territory_when_the_file_has_none(owner, territories):
    report = check_file(owner, csv_file("Firma;PLZ\nHuber GmbH;80331\n"), COMPANIES)
    assert [str(e) for e in report.errors] == [
        "Zeile 2, Verkaufsgebiet: kein Gebiet: Ordnen Sie eine Spalte mit Gebieten zu oder"
        " wählen Sie eines für die Datei"
    ]


def test_it_finds_the_people_and_their_companies_of_a_badge_scanner_file(owner, company, person):
    person.email = "anna.berger@mueller.de"
    person.save()
    file = csv_file(
        "Anrede;Vorname;Nachname;Firma;PLZ;Ort;E-Mail;Tel.\n"
        f"Frau;Anna;Berger;{company.name};{company.postcode};München;;089 1234567\n"
        f"Herr;Jan;Neu;{company.name};{company.postcode};München;ANNA.BERGER@mueller.de;\n"
        f"Herr;Paul;Berger;{company.name};{company.postcode};München;;\n"
        "Herr;Max;Muster;Neu AG;80331;München;max@neu.de;\n"
        "Hr.;Max;Muster;Neu AG;80331;München;;\n"
        "Dr.;Eva;Fehl;Neu AG;80331;München;;\n",
        encoding="utf-8",
    )
    report = check_file(owner, file, PEOPLE, constants={"company_territory": "DE-BY"})
    assert outcomes(report) == [
        (2, RowOutcome.UPDATE, person, None),  # her phone number, which the CRM lacks
        (3, RowOutcome.DUPLICATE, person, None),  # her address under another name
        # Anna's colleague of one surname: another person (first names differ, nothing else).
        (4, RowOutcome.NEW, None, None),
        (5, RowOutcome.NEW, None, None),
        (6, RowOutcome.DUPLICATE, None, 5),
        (7, RowOutcome.ERROR, None, None),
    ]
    assert [str(e) for e in report.errors] == ["Zeile 7, Anrede: unbekannte Anrede"]
    assert Person.objects.count() == 1


def test_it_splits_a_full_name_either_way(owner, territories):
    file = csv_file(
        "Ansprechpartner;Firma;PLZ\nMüller, Thomas;A GmbH;80331\nAnna Maria Weiß;B GmbH;80331\n"
    )
    report = check_file(owner, file, PEOPLE, constants={"company_territory": "DE-BY"})
    assert report.errors == []
    assert report.outcomes == {RowOutcome.NEW: 2}


def test_it_refuses_a_mapping_that_does_not_fit(owner):
    file = csv_file("Firma;PLZ\nA;80331\n")
    with pytest.raises(InvalidMapping, match="nennt 1 Spalten; die Datei hat 2"):
        check_file(owner, file, COMPANIES, mapping=["name"])
    with pytest.raises(InvalidMapping, match="kein Feld"):
        check_file(owner, file, COMPANIES, mapping=["name", "shoe_size"])
    with pytest.raises(InvalidMapping, match="Firmenname"):
        check_file(owner, file, COMPANIES, mapping=["name", "name"])


def test_the_command_prints_the_report_and_writes_nothing(tmp_path, admin_user, territories):
    path = tmp_path / "messe.csv"
    path.write_bytes("Firma;PLZ;Ort\nHuber GmbH;80331;München\n".encode("cp1252"))
    out = io.StringIO()
    call_command(
        "import",
        str(path),
        "--kind",
        "companies",
        "--set",
        "territory=DE-BY",
        "--dry-run",
        stdout=out,
    )
    text = out.getvalue()
    assert "messe.csv gelesen als CSV, cp1252, „;“" in text
    assert "Firma → Firmenname" in text
    assert "neu: 1" in text
    out = io.StringIO()
    call_command(
        "import",
        str(path),
        "--kind",
        "companies",
        "--dry-run",
        "--json",
        "--set",
        "territory=DE-BY",
        stdout=out,
    )
    assert json.loads(out.getvalue())["new"] == 1
    assert Company.objects.count() == 0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--kind", "shoes", "--dry-run"], "Unbekannte Art „shoes“"),
        (["--kind", "companies", "--dry-run", "--as", "nobody"], "Kein aktiver Benutzer"),
        (["--kind", "companies", "--dry-run", "--set", "territory"], "FELD=WERT"),
    ],
)
def test_the_command_says_what_is_wrong(tmp_path, admin_user, arguments, message):
    path = tmp_path / "a.csv"
    path.write_bytes(b"Firma;PLZ\nA;80331\n")
    with pytest.raises(CommandError, match=message):
        call_command("import", str(path), *arguments)


def test_the_command_refuses_a_file_it_cannot_read(tmp_path, admin_user):
    path = tmp_path / "leer.csv"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="Die Datei ist leer"):
        call_command("import", str(path), "--kind", "companies", "--dry-run")
    with pytest.raises(CommandError, match="kann nicht geöffnet werden"):
        call_command("import", str(tmp_path / "fehlt.csv"), "--kind", "companies", "--dry-run")


def test_it_checks_a_workbook_like_a_csv(owner, territories):
    from tests.imports.test_readers import workbook

    book = workbook(
        {
            "Messe": [
                ["Vorname", "Nachname", "Firma", "PLZ", "Kundennr.", "Umsatz"],
                ["Eva", "Klein", "Klein Bau GmbH", 80331, 4711, 1234.5],
                ["Eva", "Klein", "Klein Bau GmbH", "80331", "4711", None],
            ]
        }
    )
    report = check_file(owner, book, PEOPLE, constants={"company_territory": "DE-BY"})
    assert report.table.format == "xlsx"
    assert report.preview[0].values["company_postcode"] == "80331"
    assert report.preview[0].values["company_customer_number"] == "4711"
    assert report.preview[0].values["company_annual_revenue"] == Decimal("1234.5")
    assert [row.check.outcome for row in report.preview] == [RowOutcome.NEW, RowOutcome.DUPLICATE]
    assert report.preview[1].check.twin == 2


def test_it_reads_a_value_for_every_row_like_a_cell_and_says_when_it_cannot(owner, territories):
    file = csv_file("Firma;PLZ\nA GmbH;80331\n")
    constants = {"territory": "DE-BY", "source": "Messe", "source_date": "12.03.2027"}
    report = check_file(owner, file, COMPANIES, constants=constants)
    assert report.preview[0].values["source_date"] == datetime.date(2027, 3, 12)
    with pytest.raises(InvalidMapping, match="Der Wert für Bezugsdatum: kein Datum"):
        check_file(
            owner,
            csv_file("Firma;PLZ\nA GmbH;80331\n"),
            COMPANIES,
            constants={"source_date": "morgen"},
        )


def test_it_finds_namesakes_only_among_the_companies_the_user_sees(owner, north_company):
    """A company of another territory is neither shown in the preview nor joined."""
    file = csv_file(f"Firma;PLZ;Gebiet\n{north_company.name};{north_company.postcode};Bayern\n")
    report = check_file(owner, file, COMPANIES)
    assert outcomes(report) == [(2, RowOutcome.NEW, None, None)]


def test_a_contact_gets_only_what_is_still_empty_when_the_batch_is_written(owner, company, person):
    people = registry.import_target("people")
    row = {"_row": 2, "first_name": "Anna", "last_name": "Berger", "email": person.email,
           "phone": "089 1234567", "department": "Einkauf", "company_name": company.name,
           "company_postcode": company.postcode, "company_territory": "DE-BY"}  # fmt: skip
    [check] = people.check(owner, [row], {})
    assert check.outcome is RowOutcome.UPDATE
    # Someone enters her phone number between the check and the write.
    Person.objects.filter(pk=person.pk).update(phone="+49 89 7654321")
    [written] = people.write(owner, [(2, check)], {})
    person.refresh_from_db()
    assert (person.phone, person.department) == ("+49 89 7654321", "Einkauf")
    assert written.updated == [(person, {"department": ""})]


def test_the_duplicate_engine_classifies_rows_with_their_reasons(owner, territories):
    mayer = factories.CompanyFactory(
        name="Mayer Werkzeugbau GmbH & Co. KG",
        legal_form="gmbh_co_kg",
        street="Hauptstraße 5",
        postcode="80331",
        city="München",
        territory=territories["BY"],
        customer_number="K-MAYER",
    )
    juergen = factories.PersonFactory(
        company=mayer, first_name="Jürgen", last_name="Schmidt", phone="+49 89 555123", email=""
    )
    companies = csv_file(
        "Firma;Straße;PLZ;Ort;Gebiet\n"
        "Maier Werkzeugbau KG;Hauptstr. 5;80331;München;Bayern\n"
        "Meier Werkzeugbau;Am Hafen 1;20095;Hamburg;Bayern\n"
    )
    report = check_file(owner, companies, COMPANIES)
    first, second = report.preview
    assert (first.check.outcome, first.check.record) == (RowOutcome.DUPLICATE, mayer)
    assert "gleiche Straße und Hausnummer" in first.check.reasons
    assert (second.check.outcome, second.check.record) == (RowOutcome.NEW, None)

    people = csv_file(
        "Firma;Kundennr.;Vorname;Nachname;Telefon;Gebiet\n"
        "Mayer Werkzeugbau;K-MAYER;Juergen;Schmid;089 555123;Bayern\n"
        "Mayer Werkzeugbau;K-MAYER;Anna;Schmid;;Bayern\n"
    )
    report = check_file(owner, people, PEOPLE)
    first, second = report.preview
    assert first.check.record == juergen
    assert first.check.outcome in (RowOutcome.UPDATE, RowOutcome.DUPLICATE)
    assert "gleiche Durchwahl" in first.check.reasons
    assert (second.check.outcome, second.check.record) == (RowOutcome.NEW, None)
