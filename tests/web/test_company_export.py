"""/companies/export.csv: the filtered company list for Excel, streamed."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def csv_of(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return b"".join(response.streaming_content).decode("utf-8")


def test_it_writes_csv_the_way_excel_opens_it(client, owner, company):
    client.force_login(owner)
    response = client.get(reverse("company_export"))
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
    row = csv_of(client.get(reverse("company_export"))).splitlines()[1]
    assert ";\"'=HYPERLINK(" in row
    assert ";'+49 89 1234567;" in row


def test_it_exports_the_filtered_list(client, owner, company, territories):
    factories.CompanyFactory(name="Schmidt Logistik GmbH", territory=territories["BY"])
    client.force_login(owner)
    rows = csv_of(client.get(reverse("company_export"), {"q": "schmidt"})).splitlines()[1:]
    assert [row.split(";")[1] for row in rows] == ["Schmidt Logistik GmbH"]


@pytest.mark.parametrize(
    ("params", "message"),
    [({"q": "x" * 201}, "200"), ({"status": "foo"}, "foo")],
)
def test_it_answers_an_invalid_filter_with_400_and_the_reason(
    client, owner, company, params, message
):
    client.force_login(owner)
    response = client.get(reverse("company_export"), params)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert message in text
    assert "Müller" not in text


def test_it_keeps_the_company_out_of_an_outsiders_export(client, owner, outsider, company):
    for user, visible in ((owner, True), (outsider, False)):
        client.force_login(user)
        body = csv_of(client.get(reverse("company_export")))
        assert ("Müller Maschinenbau" in body) is visible, user
