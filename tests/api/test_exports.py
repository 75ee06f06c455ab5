"""GET /api/v1/exports/<list>: a list as CSV or XLSX, with the list's filter."""

import io

import pytest
from python_calamine import CalamineWorkbook

from tests import factories
from tests.api.helpers import API, assert_invalid

pytestmark = pytest.mark.django_db


def body_of(response) -> bytes:
    assert response.status_code == 200, response.content[:300]
    return b"".join(response.streaming_content)


def test_it_exports_the_filtered_list_as_csv(api_as, owner, company, territories):
    factories.CompanyFactory(name="Schmidt Logistik GmbH", territory=territories["BY"])
    response = api_as(owner).get("/exports/companies", {"q": "schmidt"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = body_of(response).decode("utf-8-sig").splitlines()
    assert [line.split(";")[1] for line in lines[1:]] == ["Schmidt Logistik GmbH"]


def test_it_exports_a_workbook(api_as, owner, person):
    response = api_as(owner).get("/exports/people", {"format": "xlsx"})
    content = body_of(response)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert rows[1][3] == "Berger"


@pytest.mark.parametrize(
    ("params", "field"), [({"status": "foo"}, "status"), ({"format": "pdf"}, "format")]
)
def test_it_answers_a_bad_parameter_at_the_field(api_as, owner, company, params, field):
    assert_invalid(api_as(owner).get("/exports/companies", params), field)


def test_it_needs_a_token(client):
    assert client.get(f"{API}/exports/activities").status_code == 401


def test_a_long_list_is_written_by_the_worker_and_fetched_when_done(
    api_as, owner, teammate, company, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_DIRECT_ROWS = 0
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(owner).get("/exports/companies", {"format": "csv"})
    assert response.status_code == 202
    job = response.json()
    assert (job["status"], job["total_rows"]) == ("queued", 1)
    polled = api_as(owner).get(f"/exports/jobs/{job['id']}").json()
    assert polled["status"] == "done"
    assert polled["file_url"] == f"{API}/exports/jobs/{job['id']}/file"
    file = api_as(owner).get(f"/exports/jobs/{job['id']}/file")
    assert company.name in b"".join(file.streaming_content).decode("utf-8-sig")
    # Another user's export is no export for him.
    assert api_as(teammate).get(f"/exports/jobs/{job['id']}").status_code == 404
    assert api_as(teammate).get(f"/exports/jobs/{job['id']}/file").status_code == 404


def test_a_file_not_written_yet_is_a_conflict_that_says_how_far_it_is(
    api_as, owner, company, settings
):
    settings.EXPORT_DIRECT_ROWS = 0
    job = api_as(owner).get("/exports/companies").json()  # queued; the worker has not run
    response = api_as(owner).get(f"/exports/jobs/{job['id']}/file")
    assert response.status_code == 409
    assert "0 von 1 Zeilen" in response.json()["detail"]
