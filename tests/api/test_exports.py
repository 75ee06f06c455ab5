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
