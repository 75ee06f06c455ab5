"""/<list>/export.csv and .xlsx: the filtered list for Excel, as the user sees it."""

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from innendienst.core.models import AuditAction, AuditEntry
from innendienst.exports import services
from innendienst.exports.models import Export, ExportStatus
from innendienst.privacy.models import ConsentStatus
from tests import factories

pytestmark = pytest.mark.django_db


def csv_of(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return b"".join(response.streaming_content).decode("utf-8")


def test_it_writes_csv_the_way_excel_opens_it(client, owner, company):
    client.force_login(owner)
    response = client.get(reverse("export_companies_csv"))
    assert response["Content-Disposition"].startswith('attachment; filename="firmen-')
    body = csv_of(response)
    assert body.startswith("\ufeff")
    header, first = body.lstrip("\ufeff").splitlines()[:2]
    assert header.split(";")[:3] == ["Kundennummer", "Name", "Rechtsform"]
    assert first.startswith(f"{company.customer_number};Müller Maschinenbau GmbH & Co. KG;")


def test_it_writes_formulas_as_text(client, owner, company):
    company.name = '=HYPERLINK("http://evil.example")'
    company.save()
    client.force_login(owner)
    row = csv_of(client.get(reverse("export_companies_csv"))).splitlines()[1]
    assert ";\"'=HYPERLINK(" in row
    assert ";'+49 89 1234567;" in row


def test_it_exports_the_filtered_list(client, owner, company, territories):
    factories.CompanyFactory(name="Schmidt Logistik GmbH", territory=territories["BY"])
    client.force_login(owner)
    rows = csv_of(client.get(reverse("export_companies_csv"), {"q": "schmidt"})).splitlines()[1:]
    assert [row.split(";")[1] for row in rows] == ["Schmidt Logistik GmbH"]


@pytest.mark.parametrize(
    ("params", "message"),
    [({"q": "x" * 201}, "200"), ({"status": "foo"}, "foo")],
)
def test_it_answers_an_invalid_filter_with_400_and_the_reason(
    client, owner, company, params, message
):
    client.force_login(owner)
    response = client.get(reverse("export_companies_csv"), params)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert message in text
    assert "Müller" not in text


def test_it_keeps_the_company_out_of_an_outsiders_export(client, owner, outsider, company):
    for user, visible in ((owner, True), (outsider, False)):
        client.force_login(user)
        body = csv_of(client.get(reverse("export_companies_csv")))
        assert ("Müller Maschinenbau" in body) is visible, user


def rows_of_workbook(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    content = b"".join(response.streaming_content)
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def test_it_writes_numbers_and_dates_the_way_excel_reads_them(client, owner, company):
    company.annual_revenue = Decimal("1234567.50")
    company.employees = 250
    company.save()
    client.force_login(owner)
    header, row = (
        line.split(";")
        for line in csv_of(client.get(reverse("export_companies_csv"))).splitlines()[:2]
    )
    values = dict(zip(header, row, strict=True))
    assert values["\ufeffKundennummer"] == company.customer_number
    assert values["Jahresumsatz"] == "1234567,50"
    assert values["Mitarbeiter"] == "250"
    assert values["Geändert"].count(".") == 2  # 30.11.2026 14:05


def test_the_workbook_has_typed_cells_and_text_that_stays_text(client, owner, company):
    company.name = '=HYPERLINK("http://evil.example")'
    company.annual_revenue = Decimal("1234.5")
    company.save()
    client.force_login(owner)
    rows = rows_of_workbook(client.get(reverse("export_companies_xlsx")))
    header, row = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert header[:3] == ["Kundennummer", "Name", "Rechtsform"]
    assert row["Name"] == '=HYPERLINK("http://evil.example")'
    assert row["Jahresumsatz"] == 1234.5
    assert isinstance(row["Geändert"], datetime.datetime)


def test_the_people_export_holds_only_whom_the_user_may_see(
    client, owner, marketer, person, company
):
    factories.PersonFactory(company=company, last_name="Ohnezustimmung")
    factories.ConsentFactory(person=person, status=ConsentStatus.GRANTED)
    for user, names in ((owner, {"Berger", "Ohnezustimmung"}), (marketer, {"Berger"})):
        client.force_login(user)
        lines = csv_of(client.get(reverse("export_people_csv"))).splitlines()[1:]
        assert {line.split(";")[3] for line in lines} == names, user


def test_the_activities_export_takes_the_lists_filter(client, owner, call, task):
    client.force_login(owner)
    rows = rows_of_workbook(client.get(reverse("export_activities_xlsx"), {"kind": "task"}))
    assert [row[3] for row in rows[1:]] == [task.subject]
    assert rows[1][7] is False  # "done" as a truth value


def test_the_command_writes_the_list_as_the_named_user_sees_it(tmp_path, owner, outsider, company):
    path = tmp_path / "firmen.xlsx"
    call_command("export", str(path), "--kind", "companies", "--as", "owner", stdout=io.StringIO())
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert rows[1][1] == company.name
    out = io.StringIO()
    csv_path = tmp_path / "firmen.csv"
    call_command("export", str(csv_path), "--kind", "companies", "--as", "outsider", stdout=out)
    assert "0" in out.getvalue()
    assert company.name not in csv_path.read_text(encoding="utf-8-sig")
    # Each list taken out is kept, with who took it and how many rows.
    assert sorted(Export.objects.values_list("created_by__username", "format", "rows")) == [
        ("outsider", "csv", 0),
        ("owner", "xlsx", 1),
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--kind", "widgets"], "widgets"),
        (["--kind", "companies", "--as", "owner", "--filter", "status=foo"], "foo"),
        (["--kind", "companies", "--as", "owner", "--filter", "status"], "NAME=WERT"),
        (["--kind", "companies", "--as", "niemand"], "niemand"),
    ],
)
def test_the_command_says_what_is_wrong(tmp_path, owner, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("export", str(tmp_path / "x.csv"), *arguments)


def test_a_long_list_is_written_by_the_worker_and_waits_on_its_page(
    client, owner, teammate, company, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_DIRECT_ROWS = 0
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("export_companies_csv"), {"q": "mueller"})
    export = Export.objects.get()
    assert response["Location"] == reverse("export_detail", args=[export.pk])
    assert (export.status, export.rows, export.total_rows) == (ExportStatus.DONE, 1, 1)
    assert export.params == "q=mueller"
    # Who took which list out is in the history.
    assert AuditEntry.objects.filter(
        action=AuditAction.CREATE, actor=owner, content_type__model="export", object_id=export.pk
    ).exists()
    page = client.get(response["Location"])
    assert reverse("export_file", args=[export.pk]) in page.content.decode()
    download = client.get(reverse("export_file", args=[export.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    body = b"".join(download.streaming_content).decode("utf-8-sig")
    assert company.name in body
    # The progress bar's poll: finished, so the whole page with the download.
    poll = client.get(
        response["Location"], headers={"HX-Request": "true", "HX-Target": "export-progress"}
    )
    assert (poll.status_code, poll["HX-Refresh"]) == (204, "true")
    client.force_login(teammate)
    assert client.get(reverse("export_file", args=[export.pk])).status_code == 404


def test_an_export_being_written_shows_its_progress(client, owner):
    export = Export.objects.create(
        kind="companies", format="xlsx", total_rows=50_000, rows=20_000,
        status=ExportStatus.RUNNING, file_name="firmen.xlsx", created_by=owner,
    )  # fmt: skip
    client.force_login(owner)
    poll = client.get(
        reverse("export_detail", args=[export.pk]),
        headers={"HX-Request": "true", "HX-Target": "export-progress"},
    )
    body = poll.content.decode()
    assert 'hx-trigger="every 1s"' in body
    assert 'value="20000"' in body
    assert "<html" not in body
    # Asked for the file too early: back to the page.
    early = client.get(reverse("export_file", args=[export.pk]))
    assert early["Location"] == reverse("export_detail", args=[export.pk])


def test_an_export_fails_with_the_reason_when_its_filter_cannot_be_read(owner, company):
    export = Export.objects.create(
        kind="companies", format="csv", params="status=foo", file_name="firmen.csv",
        created_by=owner,
    )  # fmt: skip
    export = services.export_run(export.pk)
    assert export.status == ExportStatus.FAILED
    assert "foo" in export.failure
    assert not export.file


def test_old_exports_are_purged_with_their_files(
    owner, company, django_capture_on_commit_callbacks
):
    export = Export.objects.create(
        kind="companies", format="csv", file_name="firmen.csv", created_by=owner
    )
    export = services.export_run(export.pk)
    path = Path(export.file.path)
    assert path.exists()
    Export.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.exports_purge(older_than=datetime.timedelta(days=7)) == 1
    assert not path.exists()
    assert not Export.objects.exists()


def test_a_list_exported_at_once_is_in_the_history_too(client, owner, company):
    from innendienst.core.models import AuditAction, AuditEntry
    from innendienst.exports.models import Export

    client.force_login(owner)
    b"".join(client.get("/companies/export.csv?q=müller").streaming_content)
    export = Export.objects.get()
    assert (export.kind, export.format, export.rows, export.params) == (
        "companies",
        "csv",
        1,
        "q=m%C3%BCller",
    )
    assert AuditEntry.objects.filter(object_id=export.pk, action=AuditAction.CREATE).exists()
    page = client.get(f"/exports/{export.pk}/").content.decode()
    assert "hier ist keine gespeichert" in page
    assert f"/exports/{export.pk}/file" not in page
