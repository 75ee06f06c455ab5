"""/api/v1/imports: upload and import a file, follow it, fetch its rows with errors, undo."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from python_calamine import CalamineWorkbook

from innendienst.contacts.models import Company
from innendienst.imports.models import Import, ImportStatus, SavedMapping
from tests.api.helpers import assert_invalid, problem_of

pytestmark = pytest.mark.django_db

COMPANIES = "Firma;PLZ;Ort;Kundennr.\nNeu GmbH;80331;München;K-1\nKaputt AG;8033;;K-2\n"


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(api, text=COMPANIES, **fields):
    data = {"kind": "companies", "constants": json.dumps({"territory": "DE-BY"}), **fields}
    data["file"] = SimpleUploadedFile("erp.csv", text.encode("utf-8"))
    return api.post_form("/imports", data)


def test_it_imports_a_file_in_the_background_and_reports_progress_and_counts(
    api_as, owner, territories, django_capture_on_commit_callbacks
):
    api = api_as(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(api)
    assert response.status_code == 202, response.content
    created = response.json()
    assert (created["status"], created["total_rows"], created["kind"]) == ("queued", 2, "companies")
    assert created["columns"][0] == {"header": "Firma", "field": "name"}
    answer = api.get(f"/imports/{created['id']}").json()
    assert answer["status"] == "done"
    assert answer["counts"] == {
        "new": 1,
        "update": 0,
        "duplicate": 0,
        "possible_duplicate": 0,
        "error": 1,
    }
    assert Company.objects.filter(name="Neu GmbH").exists()
    assert [item["id"] for item in api.get("/imports").json()["items"]] == [created["id"]]

    errors = api.get(f"/imports/{created['id']}/errors")
    assert errors.status_code == 200
    rows = CalamineWorkbook.from_filelike(
        io.BytesIO(b"".join(errors.streaming_content))
    ).get_sheet_by_index(0)
    assert rows.to_python()[1][:2] == ["Kaputt AG", "8033"]

    undone = api.post(f"/imports/{created['id']}/undo")
    assert undone.json()["status"] == "undone"
    assert not Company.objects.filter(name="Neu GmbH").exists()
    again = api.post(f"/imports/{created['id']}/undo")
    assert problem_of(again, 409)["detail"]


def test_it_maps_by_a_json_object_or_a_saved_mapping(api_as, owner, territories):
    api = api_as(owner)
    response = upload(api, mapping=json.dumps({"Firma": "name", "Ort": "city"}))
    assert [c["field"] for c in response.json()["columns"]] == ["name", "", "city", ""]
    SavedMapping.objects.create(
        owner=owner,
        target="companies",
        name="ERP",
        columns={"Firma": "name", "Kundennr.": "customer_number"},
        constants={"source": "Messe"},
    )
    response = upload(api, COMPANIES.replace("K-", "X-"), mapping="ERP")
    answer = response.json()
    assert [c["field"] for c in answer["columns"]] == ["name", "", "", "customer_number"]
    assert answer["constants"] == {"source": "Messe", "territory": "DE-BY"}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "widgets"}, "kind"),
        ({"mapping": "Gibt es nicht"}, "mapping"),
        ({"mapping": json.dumps({"Fax": "phone"})}, "mapping"),
        ({"mapping": json.dumps({"Firma": "name", "Ort": "name"})}, "mapping"),
        ({"constants": "[1]"}, "constants"),
        ({"constants": json.dumps({"source_date": "gestern"})}, "constants.source_date"),
    ],
)
def test_it_answers_a_bad_upload_at_the_field_and_keeps_nothing(
    api_as, owner, territories, fields, field
):
    response = upload(api_as(owner), **fields)
    assert_invalid(response, field)
    assert not Import.objects.exists()


def test_it_answers_a_file_it_cannot_read_at_the_file(api_as, owner):
    response = upload(api_as(owner), "\x00\x01binär")
    assert_invalid(response, "file")
    assert not Import.objects.exists()


def test_a_role_that_may_not_import_is_refused(api_as, marketer):
    problem = problem_of(upload(api_as(marketer)), 403)
    assert problem["detail"]
    assert not Import.objects.exists()


def test_the_same_file_twice_at_once_is_refused(api_as, owner, territories):
    api = api_as(owner)
    assert upload(api).status_code == 202  # queued: its job runs after the commit
    assert_invalid(upload(api), "file")
    assert Import.objects.filter(status=ImportStatus.QUEUED).count() == 1


def test_auto_keeps_the_values_of_a_saved_mapping_of_the_same_headers(api_as, owner):
    SavedMapping.objects.create(
        owner=owner,
        target="companies",
        name="ERP",
        columns={"Firma": "name", "PLZ": "postcode", "Ort": "city", "Kundennr.": ""},
        constants={"source": "Messe", "territory": "DE-BY"},
    )
    response = upload(api_as(owner), constants="{}")
    answer = response.json()
    assert answer["constants"] == {"source": "Messe", "territory": "DE-BY"}
    assert [c["field"] for c in answer["columns"]] == ["name", "postcode", "city", ""]


def test_a_mapping_by_name_is_the_users_own_before_the_teams(api_as, owner, teammate):
    for user, column in ((teammate, "name"), (owner, "city")):
        SavedMapping.objects.create(
            owner=user,
            target="companies",
            name="ERP",
            columns={"Firma": column},
            team=user.team,
        )
    answer = upload(api_as(owner), mapping="ERP").json()
    assert answer["columns"][0]["field"] == "city"


def test_all_or_nothing_through_the_api(
    api_as, owner, territories, django_capture_on_commit_callbacks
):
    api = api_as(owner)
    with django_capture_on_commit_callbacks(execute=True):
        created = upload(api, all_or_nothing="true").json()
    answer = api.get(f"/imports/{created['id']}").json()
    assert (answer["status"], answer["counts"]["error"]) == ("failed", 1)
    assert not Company.objects.filter(name="Neu GmbH").exists()
