"""The Importe pages: upload, mapping and preview, start, progress, error rows, undo."""

import datetime
import hashlib
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from innendienst.accounts.models import Role
from innendienst.contacts.models import Company, Person
from innendienst.imports import services
from innendienst.imports.models import Import, ImportStatus, SavedMapping
from tests import factories

pytestmark = pytest.mark.django_db

BADGES = (
    "Anrede;Vorname;Nachname;Firma;PLZ;Ort;E-Mail;Notiz\n"
    "Frau;Eva;Klein;Klein Bau GmbH;80331;München;eva@klein.de;Stand A3\n"
    "Herr;Jan;Klein;Klein Bau GmbH;80331;München;jan@klein.de;\n"
    'Dr.;Max;Fehler;Fehler AG;80331;München;=HYPERLINK("x");\n'
)


INVALID_EMAIL = "Bitte gültige E-Mail-Adresse eingeben."


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, text=BADGES, name="messe.csv", kind="people"):
    file = SimpleUploadedFile(name, text.encode("cp1252"))
    return client.post(reverse("import_new"), {"target": kind, "file": file})


def draft_of(client, **fields):
    """Posts the draft's form as the page shows it, with ``fields`` changed."""
    run = Import.objects.latest("pk")
    response = client.get(reverse("import_detail", args=[run.pk]))
    form = response.context["form"]
    data = {name: form[name].value() or "" for name in form.fields if name != "for_team"}
    data.update(fields)
    return run, client.post(reverse("import_detail", args=[run.pk]), data)


def test_it_uploads_a_file_and_shows_the_proposed_mapping_and_the_preview(client, owner):
    client.force_login(owner)
    response = upload(client)
    run = Import.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("import_detail", args=[run.pk])
    assert (run.status, run.total_rows, run.created_by) == (ImportStatus.DRAFT, 3, owner)
    assert run.headers[:4] == ["Anrede", "Vorname", "Nachname", "Firma"]
    assert run.mapping[:4] == ["salutation", "first_name", "last_name", "company_name"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert "CSV, cp1252" in body
    assert 'value="company_name" selected' in body
    rows = page.context["preview_rows"]
    assert [row["outcome"] for row in rows] == ["error"] * 3
    assert rows[0]["errors"][0][0] == "Verkaufsgebiet"  # no territory for the new companies
    _run, response = draft_of(client, action="preview", value_company_territory="DE-BY")
    page = client.get(response["Location"])
    rows = page.context["preview_rows"]
    assert [row["outcome"] for row in rows] == ["new", "new", "error"]
    assert rows[2]["errors"] == [("Anrede", "unbekannte Anrede"), ("E-Mail", INVALID_EMAIL)]
    assert "Stand A3" in body  # a sample of the column left out
    assert Company.objects.count() == 0  # nothing stored by a draft


@pytest.mark.parametrize(
    ("text", "name", "message"),
    [
        ("", "leer.csv", ""),  # Django's own message for an empty upload
        ("PK\x03\x04kaputt", "liste.xlsx", ""),
    ],
)
def test_it_refuses_a_file_it_cannot_read_next_to_the_field(client, owner, text, name, message):
    client.force_login(owner)
    response = upload(client, text, name)
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert list(errors) == ["file"]
    assert message in errors["file"][0]
    assert not Import.objects.exists()


def test_it_keeps_a_changed_mapping_and_a_value_for_every_row(client, owner, territories):
    client.force_login(owner)
    upload(client)
    run, response = draft_of(
        client,
        action="preview",
        column_7="department",
        value_company_territory="DE-BY",
        value_company_source="Messe",
    )
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.mapping[7] == "department"
    assert run.constants == {"company_territory": "DE-BY", "company_source": "Messe"}


def test_it_shows_a_value_it_cannot_read_at_its_field(client, owner):
    client.force_login(owner)
    upload(client)
    run, response = draft_of(client, action="preview", value_company_source_date="gestern")
    assert response.status_code == 422
    assert response.context["form"].errors["value_company_source_date"]
    run.refresh_from_db()
    assert run.constants == {}


def test_it_refuses_a_field_chosen_for_two_columns_above_the_form(client, owner):
    client.force_login(owner)
    upload(client)
    _run, response = draft_of(client, action="preview", column_7="first_name")
    assert response.status_code == 422
    assert response.context["form"].non_field_errors()


def test_a_saved_mapping_maps_the_next_file_with_the_same_headers(client, owner, teammate):
    client.force_login(owner)
    upload(client)
    run, response = draft_of(
        client,
        action="save_mapping",
        column_7="department",
        value_company_source="Messe",
        mapping_name="Messe-Scanner",
        for_team="on",
    )
    assert response.status_code == 302
    saved = SavedMapping.objects.get()
    assert (saved.name, saved.owner, saved.team) == ("Messe-Scanner", owner, owner.team)
    assert saved.columns["Notiz"] == "department"
    # The teammate's next file of the scanner, its columns in another order.
    client.force_login(teammate)
    reordered = "Notiz;Firma;Vorname;Nachname;Anrede;PLZ;Ort;E-Mail\nx;A GmbH;Eva;Ek;Frau;1;B;\n"
    upload(client, reordered)
    run = Import.objects.latest("pk")
    assert run.mapping[:3] == ["department", "company_name", "first_name"]
    assert run.constants == {"company_source": "Messe"}


def test_it_needs_a_name_to_save_a_mapping(client, owner):
    client.force_login(owner)
    upload(client)
    _run, response = draft_of(client, action="save_mapping", mapping_name=" ")
    assert response.status_code == 422
    assert response.context["form"].errors["mapping_name"]


def test_it_applies_a_saved_mapping_chosen_by_name(client, owner):
    client.force_login(owner)
    upload(client)
    run = Import.objects.get()
    saved = SavedMapping.objects.create(
        owner=owner,
        target="people",
        name="ERP",
        columns={"Notiz": "department", "Firma": "company_city"},
    )
    _run, response = draft_of(client, action="apply", saved_mapping=str(saved.pk))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.mapping == ["", "", "", "company_city", "", "", "", "department"]


def test_it_starts_the_import_and_shows_counts_errors_and_undo(
    client, owner, territories, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    upload(client)
    with django_capture_on_commit_callbacks(execute=True):
        run, response = draft_of(client, action="start", value_company_territory="DE-BY")
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE
    assert run.counts == {"new": 2, "error": 1}
    page = client.get(reverse("import_detail", args=[run.pk]))
    assert page.status_code == 200
    assert [(o.value, count) for o, _tone, count in page.context["counts"]][:2] == [
        ("new", 2),
        ("update", 0),
    ]
    assert page.context["may_undo"] is True
    assert page.context["error_rows"] == [
        {"number": 4, "errors": [("Anrede", "unbekannte Anrede"), ("E-Mail", INVALID_EMAIL)]}
    ]
    assert reverse("import_errors", args=[run.pk]) in page.content.decode()
    # The progress bar's poll: the import is done, so the whole page is reloaded.
    poll = client.get(
        reverse("import_detail", args=[run.pk]),
        headers={"HX-Request": "true", "HX-Target": "import-progress"},
    )
    assert (poll.status_code, poll["HX-Refresh"]) == (204, "true")

    response = client.post(reverse("import_undo", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportStatus.UNDONE
    assert not Person.objects.filter(last_name="Klein").exists()


def test_the_progress_bar_polls_while_the_import_runs(client, owner):
    client.force_login(owner)
    run = Import.objects.create(
        target="people",
        file="imports/x.csv",
        file_name="x.csv",
        file_sha256="1" * 64,
        file_size=1,
        total_rows=1000,
        rows=400,
        status=ImportStatus.RUNNING,
        created_by=owner,
    )
    poll = client.get(
        reverse("import_detail", args=[run.pk]),
        headers={"HX-Request": "true", "HX-Target": "import-progress"},
    )
    body = poll.content.decode()
    assert poll.status_code == 200
    assert 'hx-trigger="every 1s"' in body
    assert 'value="400"' in body
    assert 'max="1000"' in body
    assert "<html" not in body


def test_it_downloads_the_rows_with_errors_as_a_workbook_to_correct(
    client, owner, territories, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    upload(client)
    with django_capture_on_commit_callbacks(execute=True):
        run, _response = draft_of(client, action="start", value_company_territory="DE-BY")
    response = client.get(reverse("import_errors", args=[run.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    rows = workbook.get_sheet_by_index(0).to_python()
    assert rows[0] == [*run.headers, "Fehler"]
    assert rows[1][:7] == [
        "Dr.",
        "Max",
        "Fehler",
        "Fehler AG",
        "80331",
        "München",
        '=HYPERLINK("x")',
    ]
    assert rows[1][8] == f"Anrede: unbekannte Anrede; E-Mail: {INVALID_EMAIL}"
    assert len(rows) == 2


def test_it_discards_a_draft(client, owner):
    client.force_login(owner)
    upload(client)
    _run, response = draft_of(client, action="discard")
    assert response["Location"] == reverse("import_list")
    assert not Import.objects.exists()


def test_the_list_shows_own_imports_and_an_administrator_all(client, owner, teammate, admin_user):
    client.force_login(owner)
    upload(client)
    assert "messe.csv" in client.get(reverse("import_list")).content.decode()
    client.force_login(teammate)
    assert "messe.csv" not in client.get(reverse("import_list")).content.decode()
    run = Import.objects.get()
    assert client.get(reverse("import_detail", args=[run.pk])).status_code == 404
    client.force_login(admin_user)
    assert "messe.csv" in client.get(reverse("import_list")).content.decode()
    # An administrator sees someone's draft but does not map or start it for him.
    assert client.get(reverse("import_detail", args=[run.pk])).status_code == 403


def test_marketing_imports_nothing_into_the_customer_base(client, marketer):
    client.force_login(marketer)
    assert client.get(reverse("import_new")).status_code == 403
    assert reverse("import_list") not in client.get(reverse("my_day")).content.decode()


def test_it_warns_before_a_file_is_imported_a_second_time(
    client, owner, territories, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    upload(client)
    with django_capture_on_commit_callbacks(execute=True):
        draft_of(client, action="start", value_company_territory="DE-BY")
    upload(client, name="messe-kopie.csv")
    _again, response = draft_of(client, action="preview", value_company_territory="DE-BY")
    page = client.get(response["Location"])
    assert page.context["earlier"] == Import.objects.earliest("pk")
    assert [row["outcome"] for row in page.context["preview_rows"]][:2] == ["duplicate"] * 2


def test_a_draft_whose_file_is_gone_says_so_instead_of_failing(client, owner):
    client.force_login(owner)
    upload(client)
    run = Import.objects.get()
    run.file.delete(save=False)
    page = client.get(reverse("import_detail", args=[run.pk]))
    assert page.status_code == 200
    assert (
        page.context["preview_error"]
        == "Die hochgeladene Datei ist nicht mehr da; bitte erneut hochladen."
    )
    _run, response = draft_of(client, action="sheet", sheet="Tabelle2")
    assert response.status_code == 422
    assert response.context["form"].non_field_errors()


def test_a_form_shown_for_another_sheet_is_refused(client, owner):
    client.force_login(owner)
    upload(client)
    _run, response = draft_of(client, action="preview", sheet_read="Tabelle2")
    assert response.status_code == 422
    assert "Tabellenblatt" in str(response.context["form"].non_field_errors())


def test_a_draft_is_discarded_also_with_a_value_that_is_too_long(client, owner):
    client.force_login(owner)
    upload(client)
    _run, response = draft_of(client, action="discard", value_company_city="x" * 300)
    assert response["Location"] == reverse("import_list")
    assert not Import.objects.exists()


def test_a_second_click_on_start_shows_the_running_import(
    client, owner, territories, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    upload(client)
    run, _response = draft_of(client, action="start", value_company_territory="DE-BY")
    second = client.post(reverse("import_detail", args=[run.pk]), {"action": "start"})
    assert second["Location"] == reverse("import_detail", args=[run.pk])
    assert Import.objects.get().status == ImportStatus.QUEUED


def test_the_warning_of_an_earlier_import_names_only_imports_the_user_sees(client, owner, teammate):
    Import.objects.create(
        target="people",
        file="imports/x.csv",
        file_name="x.csv",
        file_sha256=hashlib.sha256(BADGES.encode("cp1252")).hexdigest(),
        file_size=1,
        status=ImportStatus.DONE,
        created_by=teammate,
    )
    client.force_login(owner)
    upload(client)
    page = client.get(reverse("import_detail", args=[Import.objects.latest("pk").pk]))
    assert page.context["earlier"] is None


def test_an_upload_that_cannot_be_saved_leaves_no_file(client, owner, monkeypatch, tmp_path):
    def fails(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services.audit, "record_create", fails)
    client.force_login(owner)
    client.raise_request_exception = False
    assert upload(client).status_code == 500
    assert not Import.objects.exists()
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []


def test_forgotten_drafts_are_purged_with_their_files(
    client, owner, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    upload(client)
    upload(client, name="neu.csv", text=BADGES + "Frau;A;B;C;1;D;;\n")
    old, new = Import.objects.order_by("pk")
    Import.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.drafts_purge(older_than=datetime.timedelta(days=7)) == 1
    assert list(Import.objects.all()) == [new]
    assert not Path(old.file.path).exists()
    assert Path(new.file.path).exists()


def test_the_page_starts_an_import_all_or_nothing(
    client, owner, territories, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    upload(client)
    with django_capture_on_commit_callbacks(execute=True):
        run, _response = draft_of(
            client, action="start", value_company_territory="DE-BY", all_or_nothing="on"
        )
    run.refresh_from_db()
    assert (run.all_or_nothing, run.status) == (True, ImportStatus.FAILED)
    assert not Person.objects.exists()
    page = client.get(reverse("import_detail", args=[run.pk]))
    assert reverse("import_errors", args=[run.pk]) in page.content.decode()
    assert page.context["may_undo"] is False


def test_product_management_imports_only_articles(client, team_south):
    manager = factories.UserFactory(
        username="produkt", role=Role.PRODUCT_MANAGEMENT, team=team_south
    )
    client.force_login(manager)
    assert reverse("import_list") in client.get(reverse("my_day")).content.decode()
    page = client.get(reverse("import_new")).content.decode()
    assert 'value="products"' in page
    assert 'value="people"' not in page
    assert 'value="orders"' not in page
