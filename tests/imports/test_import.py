"""imports.services: an import committed in batches, resumed after a crash, undone."""

import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from innendienst.contacts.models import Company, Person
from innendienst.core import registry
from innendienst.core.models import AuditAction, AuditEntry
from innendienst.imports import pipeline, services
from innendienst.imports.models import Import, ImportRow, ImportStatus, SavedMapping
from innendienst.imports.services import CannotUndo, import_create, import_run, import_undo
from tests import factories

pytestmark = pytest.mark.django_db

BADGES = (
    "Anrede;Vorname;Nachname;Firma;PLZ;Ort;E-Mail\n"
    "Frau;Eva;Klein;Klein Bau GmbH;80331;München;eva@klein.de\n"
    "Herr;Jan;Klein;Klein Bau GmbH;80331;München;jan@klein.de\n"
    "Herr;Jan;Klein;Klein Bau GmbH;80331;München;jan@klein.de\n"
    "Dr.;Max;Fehler;Fehler AG;80331;München;\n"
    "Herr;Otto;Huber;Huber Hydraulik;80333;München;otto@huber.de\n"
)


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def editor(owner):
    return owner


def start(user, text, target="people", capture=None, **options):
    options.setdefault(
        "constants",
        {"company_territory": "DE-BY"} if target == "people" else {"territory": "DE-BY"},
    )
    with capture(execute=True):
        run = import_create(
            actor=user,
            file=io.BytesIO(text.encode("cp1252")),
            file_name="messe.csv",
            target_name=target,
            **options,
        )
    run.refresh_from_db()
    return run


def test_it_imports_a_badge_scanner_file_and_keeps_what_came_of_each_row(
    editor, territories, django_capture_on_commit_callbacks
):
    run = start(editor, BADGES, capture=django_capture_on_commit_callbacks)
    assert run.status == ImportStatus.DONE
    assert run.counts == {"new": 3, "duplicate": 1, "error": 1}
    assert run.rows == 5
    assert sorted(Company.objects.values_list("name", flat=True)) == [
        "Huber Hydraulik",
        "Klein Bau GmbH",
    ]
    klein = Company.objects.get(name="Klein Bau GmbH")
    assert sorted(klein.people.values_list("first_name", flat=True)) == ["Eva", "Jan"]
    assert klein.territory.code == "DE-BY"
    assert klein.search_text.startswith("klein bau gmbh")
    eva = Person.objects.get(first_name="Eva")
    assert eva.territory_id == klein.territory_id  # the scope copy of the database triggers
    rows = {row.number: row for row in ImportRow.objects.filter(run=run)}
    assert rows[2].created == [["contacts.company", klein.pk], ["contacts.person", eva.pk]]
    assert rows[3].created == [["contacts.person", Person.objects.get(first_name="Jan").pk]]
    assert rows[5].errors == {"salutation": ["unbekannte Anrede"]}
    assert rows[5].cells == ["Dr.", "Max", "Fehler", "Fehler AG", "80331", "München", ""]
    created = AuditEntry.objects.filter(action=AuditAction.CREATE, actor=editor)
    assert created.filter(object_id=klein.pk, content_type__model="company").exists()
    assert created.filter(object_id=eva.pk, content_type__model="person").exists()


def test_the_same_file_again_changes_nothing_and_says_so(
    editor, territories, django_capture_on_commit_callbacks
):
    start(editor, BADGES, capture=django_capture_on_commit_callbacks)
    again = start(editor, BADGES, capture=django_capture_on_commit_callbacks)
    assert again.counts == {"duplicate": 4, "error": 1}
    assert Person.objects.count() == 3


def test_an_import_cut_off_goes_on_after_its_last_batch(
    editor, territories, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(pipeline, "BATCH_ROWS", 2)
    real = services._commit_batch
    calls = []

    def dies_in_the_second_batch(*args):
        calls.append(1)
        if len(calls) == 2:
            raise SystemExit("kill -9")
        real(*args)

    monkeypatch.setattr(services, "_commit_batch", dies_in_the_second_batch)
    with pytest.raises(SystemExit):
        start(editor, BADGES, capture=django_capture_on_commit_callbacks)
    run = Import.objects.get()
    assert (run.status, run.last_row, run.rows) == (ImportStatus.RUNNING, 3, 2)
    assert Person.objects.count() == 2
    monkeypatch.setattr(services, "_commit_batch", real)
    run = import_run(run.pk)
    assert run.status == ImportStatus.DONE
    assert run.counts == {"new": 3, "duplicate": 1, "error": 1}
    assert sorted(Person.objects.values_list("first_name", flat=True)) == ["Eva", "Jan", "Otto"]
    assert Company.objects.filter(name="Klein Bau GmbH").count() == 1


def test_an_update_by_customer_number_is_undone_where_nobody_changed_it_since(
    editor, company, django_capture_on_commit_callbacks
):
    text = (
        "Kundennr.;Firma;Ort;Telefon\n"
        f"{company.customer_number};{company.name};Augsburg;0821 123456\n"
    )
    run = start(editor, text, target="companies", capture=django_capture_on_commit_callbacks)
    assert run.counts == {"update": 1}
    company.refresh_from_db()
    assert (company.city, company.phone) == ("Augsburg", "+49 821 123456")
    company.phone = "+49 89 7654321"  # a later edit of a field the import wrote
    company.save()
    import_undo(actor=editor, run=run)
    company.refresh_from_db()
    assert (company.city, company.phone) == ("München", "+49 89 7654321")
    run.refresh_from_db()
    assert run.status == ImportStatus.UNDONE
    assert AuditEntry.objects.filter(object_id=run.pk, field="status", new_value="undone").exists()


def test_an_undo_removes_what_the_import_created_and_keeps_the_history(
    editor, territories, django_capture_on_commit_callbacks
):
    run = start(editor, BADGES, capture=django_capture_on_commit_callbacks)
    import_undo(actor=editor, run=run)
    assert Company.objects.count() == 0
    assert Person.objects.count() == 0
    assert AuditEntry.objects.filter(action=AuditAction.DELETE).count() == 5
    with pytest.raises(CannotUndo, match="abgeschlossener"):
        import_undo(actor=editor, run=run)


def test_an_undo_is_refused_once_the_records_are_in_use(
    editor, territories, django_capture_on_commit_callbacks
):
    run = start(editor, BADGES, capture=django_capture_on_commit_callbacks)
    factories.ActivityFactory(company=Company.objects.get(name="Huber Hydraulik"))
    with pytest.raises(CannotUndo, match="in Verwendung"):
        import_undo(actor=editor, run=run)
    assert Company.objects.count() == 2


def test_only_who_imported_or_an_administrator_may_undo(
    editor, teammate, admin_user, territories, django_capture_on_commit_callbacks
):
    run = start(editor, BADGES, capture=django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):
        import_undo(actor=teammate, run=run)
    import_undo(actor=admin_user, run=run)


@pytest.mark.parametrize(
    ("text", "options", "field", "message"),
    [
        ("", {}, "file", "leer"),
        ("Firma;PLZ\nA;1\n", {"mapping": ["name"]}, "mapping", "nennt 1 Spalten"),
        ("Firma;PLZ\nA;1\n", {"target_name": "shoes"}, "target", "Unbekannte Art"),
    ],
)
def test_it_refuses_to_start_with_the_field_that_is_wrong(editor, text, options, field, message):
    arguments = {"target_name": "companies", **options}
    with pytest.raises(ValidationError) as error:
        import_create(actor=editor, file=io.BytesIO(text.encode()), file_name="x.csv", **arguments)
    assert message in error.value.message_dict[field][0]
    assert Import.objects.count() == 0


def test_it_refuses_the_same_file_while_it_is_being_imported(editor, territories):
    file = BADGES.encode("cp1252")
    import_create(actor=editor, file=io.BytesIO(file), file_name="a.csv", target_name="people")
    with pytest.raises(ValidationError, match="gerade importiert"):
        import_create(actor=editor, file=io.BytesIO(file), file_name="b.csv", target_name="people")


def test_a_role_that_may_not_change_master_data_cannot_import(
    marketer, territories, django_capture_on_commit_callbacks
):
    with pytest.raises(PermissionDenied, match="keine Datensätze importieren"):
        start(marketer, BADGES, capture=django_capture_on_commit_callbacks)
    assert not Import.objects.exists()


def test_an_import_fails_whole_when_its_user_lost_the_right_to_import(
    editor, territories, django_capture_on_commit_callbacks
):
    run = import_create(
        actor=editor,
        file=io.BytesIO(BADGES.encode("cp1252")),
        file_name="messe.csv",
        target_name="people",
        constants={"company_territory": "DE-BY"},
        queue=False,
    )
    editor.role = "marketing"
    editor.save()
    run = import_run(run.pk)
    assert run.status == ImportStatus.FAILED
    assert "Stammdaten" in run.failure
    assert Person.objects.count() == 0


def test_the_command_imports_with_a_saved_mapping_by_name(tmp_path, admin_user, territories):
    SavedMapping.objects.create(
        owner=admin_user,
        target="companies",
        name="ERP",
        columns={"Kunde": "name", "Postleitzahl": "postcode"},
        constants={"territory": "DE-BY", "source": "Messe"},
    )
    path = tmp_path / "erp.csv"
    path.write_text("Kunde;Postleitzahl;Bemerkung\nNeu GmbH;80331;egal\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import", str(path), "--kind", "companies", "--mapping", "ERP", "--dry-run",
                 "--json", stdout=out)  # fmt: skip
    report = json.loads(out.getvalue())
    assert [c["field"] for c in report["columns"]] == ["name", "postcode", ""]
    assert report["new"] == 1
    call_command("import", str(path), "--kind", "companies", "--mapping", "ERP",
                 stdout=io.StringIO())  # fmt: skip
    company = Company.objects.get(name="Neu GmbH")
    assert (company.territory.code, company.source) == ("DE-BY", "trade_fair")
    with pytest.raises(CommandError, match="Gibt es nicht"):
        call_command("import", str(path), "--kind", "companies", "--mapping", "Gibt es nicht")


def test_the_command_imports_a_file_at_once_and_prints_the_summary(
    tmp_path, admin_user, territories
):
    path = tmp_path / "messe.csv"
    path.write_bytes(BADGES.encode("cp1252"))
    out = io.StringIO()
    call_command(
        "import", str(path), "--kind", "people", "--set", "company_territory=DE-BY", stdout=out
    )
    assert "Import 1: abgeschlossen, 5 Zeilen" in out.getvalue().replace(
        str(Import.objects.get().pk), "1"
    )
    assert "neu: 3" in out.getvalue()
    assert Person.objects.count() == 3
    out = io.StringIO()
    call_command(
        "import",
        str(path),
        "--kind",
        "people",
        "--json",
        "--set",
        "company_territory=DE-BY",
        stdout=out,
    )
    assert json.loads(out.getvalue())["duplicate"] == 4


def test_it_tags_where_the_addresses_come_from(
    editor, territories, django_capture_on_commit_callbacks
):
    constants = {
        "company_territory": "DE-BY",
        "company_source": "Messe",
        "company_source_date": "12.03.2027",
    }
    run = start(editor, BADGES, capture=django_capture_on_commit_callbacks, constants=constants)
    assert run.counts["new"] == 3
    company = Company.objects.get(name="Huber Hydraulik")
    assert (company.source, str(company.source_date)) == ("trade_fair", "2027-03-12")
    bought = {"company_territory": "DE-BY", "company_source": "Gekaufte Adressliste"}
    report = pipeline.check_file(
        editor,
        io.BytesIO(BADGES.encode("cp1252")),
        registry.import_target("people"),
        constants=bought,
    )
    assert (
        "Zeile 2, Adresshändler: Bitte bei einer gekauften Adressliste den Adresshändler angeben."
        in [str(e) for e in report.errors]
    )


def test_it_refuses_a_file_above_the_limit(editor, settings):
    settings.IMPORT_MAX_BYTES = 2**20
    with pytest.raises(ValidationError) as error:
        import_create(
            actor=editor,
            file=io.BytesIO(b"x" * 2**20 * 2),
            file_name="gross.csv",
            target_name="companies",
        )
    assert error.value.message_dict["file"] == [
        "Die Datei hat 2 MB; höchstens 1 MB können importiert werden."
    ]


def test_an_undo_works_through_many_records_in_chunks(
    editor, territories, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "ID_CHUNK", 2)
    run = start(editor, BADGES, capture=django_capture_on_commit_callbacks)
    factories.ActivityFactory(company=Company.objects.get(name="Huber Hydraulik"))
    with pytest.raises(CannotUndo):
        import_undo(actor=editor, run=run)
    Company.objects.get(name="Huber Hydraulik").activities.all().delete()
    import_undo(actor=editor, run=run)
    assert Person.objects.count() == 0


def test_two_imports_of_one_file_at_the_same_moment_cannot_both_start(editor, territories):
    """The second one's check found nothing running yet; the database refuses its row."""
    file = BADGES.encode("cp1252")
    first = import_create(
        actor=editor, file=io.BytesIO(file), file_name="a.csv", target_name="people"
    )
    Import.objects.filter(pk=first.pk).update(status=ImportStatus.DONE)
    second = import_create(
        actor=editor, file=io.BytesIO(file), file_name="b.csv", target_name="people"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Import.objects.filter(pk=first.pk).update(status=ImportStatus.QUEUED)
    assert second.status == ImportStatus.QUEUED


def test_a_person_of_a_company_that_only_looks_known_gets_a_new_one(
    editor, company, django_capture_on_commit_callbacks
):
    text = (
        "Vorname;Nachname;Firma;PLZ\n"
        f"Eva;Klein;{company.name};{company.postcode}\n"
        f"Jan;Groß;Müller Maschinenbau AG;{company.postcode}\n"
    )
    run = start(editor, text, capture=django_capture_on_commit_callbacks)
    assert run.counts == {"new": 2}
    assert Person.objects.get(first_name="Eva").company == company
    assert Person.objects.get(first_name="Jan").company.name == "Müller Maschinenbau AG"


def test_all_or_nothing_imports_nothing_while_a_row_has_errors(
    editor, territories, django_capture_on_commit_callbacks
):
    run = start(editor, BADGES, capture=django_capture_on_commit_callbacks, all_or_nothing=True)
    assert run.status == ImportStatus.FAILED
    assert (run.rows, run.counts) == (5, {"error": 1})
    assert "1 von 5 Zeilen" in run.failure
    assert not Person.objects.exists()
    assert not Company.objects.filter(name="Klein Bau GmbH").exists()
    row = ImportRow.objects.get(run=run)
    assert (row.number, row.cells[2]) == (5, "Fehler")
    # The corrected file goes in whole.
    corrected = BADGES.replace("Dr.;Max;Fehler", "Herr;Max;Fehler")
    run = start(editor, corrected, capture=django_capture_on_commit_callbacks, all_or_nothing=True)
    assert run.status == ImportStatus.DONE
    assert Person.objects.count() == 4


def test_the_command_imports_all_or_nothing(tmp_path, admin_user, territories):
    path = tmp_path / "messe.csv"
    path.write_bytes(BADGES.encode("cp1252"))
    with pytest.raises(CommandError, match="nichts importiert"):
        call_command("import", str(path), "--kind", "people", "--all-or-nothing",
                     "--set", "company_territory=DE-BY", stdout=io.StringIO())  # fmt: skip
    assert not Person.objects.exists()


def test_a_known_person_gets_what_the_file_knows_and_the_crm_does_not_and_the_undo_takes_it_back(
    editor, company, person, django_capture_on_commit_callbacks
):
    person.phone, person.function, person.department = "", "Einkaufsleiterin", ""
    person.save()
    text = (
        "Vorname;Nachname;Firma;PLZ;E-Mail;Tel.;Funktion;Abteilung\n"
        f"Anna;Berger;{company.name};{company.postcode};{person.email};089 1234567;"
        "Einkäuferin;Einkauf\n"
    )
    run = start(editor, text, capture=django_capture_on_commit_callbacks)
    assert run.counts == {"update": 1}
    person.refresh_from_db()
    # Filled where empty; the function the CRM knows stays.
    assert (person.phone, person.department, person.function) == (
        "+49 89 1234567",
        "Einkauf",
        "Einkaufsleiterin",
    )
    assert ImportRow.objects.get(run=run).updated == [
        ["contacts.person", person.pk, {"department": ["", "Einkauf"],
                                        "phone": ["", "+49 89 1234567"]}]
    ]  # fmt: skip
    assert AuditEntry.objects.filter(object_id=person.pk, field="department").exists()
    again = start(editor, text.replace("\n", "\r\n"), capture=django_capture_on_commit_callbacks)
    assert again.counts == {"duplicate": 1}  # nothing left to fill
    import_undo(actor=editor, run=again)
    import_undo(actor=editor, run=run)
    person.refresh_from_db()
    assert (person.phone, person.department) == ("", "")


def test_the_job_s_changes_of_an_import_are_in_its_history(
    editor, territories, django_capture_on_commit_callbacks
):
    run = start(editor, BADGES, capture=django_capture_on_commit_callbacks)
    changes = AuditEntry.objects.filter(object_id=run.pk, field="status").order_by("id")
    assert [(e.actor_name, e.old_value, e.new_value) for e in changes][-2:] == [
        ("System", "queued", "running"),
        ("System", "running", "done"),
    ]


def test_a_company_update_keeps_what_the_company_said_when_it_was_written(
    editor, company, monkeypatch, django_capture_on_commit_callbacks
):
    text = f"Kundennr.;Firma;Ort\n{company.customer_number};{company.name};Augsburg\n"
    real = services._commit_batch

    def someone_edits_between_check_and_write(*args):
        Company.objects.filter(pk=company.pk).update(city="Freising")
        real(*args)

    monkeypatch.setattr(services, "_commit_batch", someone_edits_between_check_and_write)
    run = start(editor, text, target="companies", capture=django_capture_on_commit_callbacks)
    assert run.counts == {"update": 1}
    company.refresh_from_db()
    assert company.city == "Augsburg"
    import_undo(actor=editor, run=run)
    company.refresh_from_db()
    assert company.city == "Freising"  # what the import replaced, not what it had checked


def test_an_undo_removes_people_before_the_companies_they_work_for(
    editor, company, django_capture_on_commit_callbacks
):
    # The first row adds a person to a known company, a later one a new company with hers.
    text = (
        "Vorname;Nachname;Firma;PLZ;Ort;E-Mail\n"
        f"Ida;Neu;{company.name};{company.postcode};{company.city};ida@neu.de\n"
        "Ole;Neu;Neubau GmbH;80331;München;ole@neubau.de\n"
    )
    run = start(editor, text, capture=django_capture_on_commit_callbacks)
    assert run.counts == {"new": 2}
    import_undo(actor=editor, run=run)
    assert not Person.objects.filter(last_name="Neu").exists()
    assert not Company.objects.filter(name="Neubau GmbH").exists()
    deleted = AuditEntry.objects.filter(action=AuditAction.DELETE)
    assert sorted(entry.object_repr for entry in deleted) == ["Ida Neu", "Neubau GmbH", "Ole Neu"]


def test_an_undo_names_the_records_that_stay_but_lost_what_pointed_at_them(
    editor, company, django_capture_on_commit_callbacks
):
    from innendienst.core import events

    text = (
        "Vorname;Nachname;Firma;PLZ;Ort;E-Mail\n"
        f"Ida;Neu;{company.name};{company.postcode};{company.city};ida@neu.de\n"
        "Ole;Neu;Neubau GmbH;80331;München;ole@neubau.de\n"
    )
    run = start(editor, text, capture=django_capture_on_commit_callbacks)
    seen = []
    events.subscribe("import.undone", seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            import_undo(actor=editor, run=run)
    finally:
        events.unsubscribe("import.undone", seen.append)
    [event] = seen
    # Ida's company stays; Ole's went with the undo.
    assert event.data["pointed_at"]["contacts.company"] == [company.pk]
