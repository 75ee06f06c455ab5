"""Fremdschlüssel: the key a record had in the file, with its system, finds it again on the
next import, and shows on its page, in the API and in exports; the source options of the
command."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from innendienst.contacts.models import Company, Person
from innendienst.core.models import ExternalKey
from innendienst.imports.services import import_create, import_undo
from tests import factories

pytestmark = pytest.mark.django_db

LIST = (
    "Adress-ID;Kontakt-ID;Firma;PLZ;Ort;Anrede;Vorname;Nachname;E-Mail\n"
    "F-1;P-1;Brandt Logistik GmbH;28195;Bremen;Herr;Ole;Brandt;ole@brandt.de\n"
    "F-1;P-2;Brandt Logistik GmbH;28195;Bremen;Frau;Ina;Brandt;\n"
)
# The vendor's next delivery: the company renamed, Ina's new address and function.
NEXT = (
    "Adress-ID;Kontakt-ID;Firma;PLZ;Ort;Anrede;Vorname;Nachname;E-Mail;Funktion\n"
    "F-1;P-1;Brandt Logistik;28195;Bremen;Herr;Ole;Brandt;ole@brandt.de;\n"
    "F-1;P-2;Brandt Logistik;28195;Bremen;Frau;Ina;Brandt-Meyer;ina@brandt.de;Einkauf\n"
)
BOUGHT = {
    "company_territory": "DE-NORD",
    "company_source": "Gekaufte Adressliste",
    "company_source_vendor": "Schober",
}


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def start(user, text, capture, constants=BOUGHT):
    with capture(execute=True):
        run = import_create(
            actor=user,
            file=io.BytesIO(text.encode()),
            file_name="liste.csv",
            target_name="people",
            constants=constants,
        )
    run.refresh_from_db()
    return run


def test_a_bought_list_keeps_the_vendors_ids_and_finds_them_on_the_next_delivery(
    admin_user, territories, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    run = start(admin_user, LIST, capture)
    assert run.counts == {"new": 2}
    company = Company.objects.get()
    ole, ina = Person.objects.order_by("first_name").reverse()
    assert [str(k) for k in company.external_keys.all()] == ["Schober: F-1"]
    assert [str(k) for k in ole.external_keys.all()] == ["Schober: P-1"]
    assert [str(k) for k in ina.external_keys.all()] == ["Schober: P-2"]

    again = start(admin_user, NEXT, capture)
    # Ina is found by her key under her new name; her empty fields are filled.
    assert again.counts == {"duplicate": 1, "update": 1}
    ina.refresh_from_db()
    assert (ina.email, ina.function, ina.last_name) == ("ina@brandt.de", "Einkauf", "Brandt")
    assert Company.objects.count() == 1
    assert Person.objects.count() == 2

    import_undo(actor=admin_user, run=again)
    import_undo(actor=admin_user, run=run)
    assert ExternalKey.objects.count() == 0


def test_a_key_needs_the_system_it_comes_from(
    admin_user, territories, django_capture_on_commit_callbacks
):
    run = start(
        admin_user, LIST, django_capture_on_commit_callbacks, {"company_territory": "DE-NORD"}
    )
    assert run.counts == {"error": 2}
    run = start(
        admin_user,
        LIST,
        django_capture_on_commit_callbacks,
        {"company_territory": "DE-NORD", "external_key_source": "CRM alt"},
    )
    assert run.counts == {"new": 2}
    assert ExternalKey.objects.filter(source="CRM alt").count() == 3


def test_a_key_of_a_company_the_user_may_not_see_is_refused(
    owner, territories, django_capture_on_commit_callbacks
):
    hidden = factories.CompanyFactory(territory=territories["NORD"])
    ExternalKey.objects.create(record=hidden, source="ERP", key="D-7")
    text = "Fremdschlüssel;Firma;PLZ;Ort\nD-7;Irgendwas GmbH;80331;München\n"
    with django_capture_on_commit_callbacks(execute=True):
        run = import_create(
            actor=owner,
            file=io.BytesIO(text.encode()),
            file_name="erp.csv",
            target_name="companies",
            constants={"territory": "DE-BY", "external_key_source": "ERP"},
        )
    run.refresh_from_db()
    assert run.counts == {"error": 1}
    assert run.import_rows.get().errors == {
        "external_key": ["gehört zu einer Firma, die Sie nicht sehen dürfen"]
    }


def test_the_keys_show_on_the_page_in_the_api_and_in_the_export(
    client, owner, company, django_capture_on_commit_callbacks
):
    ExternalKey.objects.create(record=company, source="SAP", key="100042")
    person = factories.PersonFactory(company=company)
    ExternalKey.objects.create(record=person, source="Schober", key="P-9")
    client.force_login(owner)
    page = client.get(f"/companies/{company.pk}/").content.decode()
    assert "Fremdschlüssel" in page
    assert "100042" in page
    assert "P-9" in client.get(f"/people/{person.pk}/").content.decode()
    keyless = factories.CompanyFactory(territory=company.territory, inside_rep=owner)
    assert "Fremdschlüssel" not in client.get(f"/companies/{keyless.pk}/").content.decode()
    api = client.get(f"/api/v1/companies/{company.pk}").json()
    assert api["external_keys"] == [{"source": "SAP", "key": "100042"}]
    assert client.get(f"/api/v1/people/{person.pk}").json()["external_keys"] == [
        {"source": "Schober", "key": "P-9"}
    ]
    export = b"".join(client.get("/companies/export.csv").streaming_content).decode("utf-8-sig")
    assert "Fremdschlüssel" in export.splitlines()[0]
    assert "SAP: 100042" in export
    ExternalKey.objects.create(record=company, source="CRM alt", key="K-1")
    export = b"".join(client.get("/companies/export.csv").streaming_content).decode("utf-8-sig")
    row = next(
        row
        for row in csv.reader(export.splitlines(), delimiter=";")
        if "Fremd" not in row[-2] and row[-2]
    )
    assert sorted(row[-2].split("; ")) == ["CRM alt: K-1", "SAP: 100042"]
    people = b"".join(client.get("/people/export.csv").streaming_content).decode("utf-8-sig")
    assert "Schober: P-9" in people


def test_the_command_tags_the_source_of_a_fair_list(tmp_path, admin_user, territories):
    path = tmp_path / "messe.csv"
    path.write_text("Firma;PLZ;Ort\nNeu Messebau GmbH;80331;München\n", encoding="utf-8")
    call_command(
        "import", str(path), "--kind", "companies", "--set", "territory=DE-BY",
        "--source", "Messe", "--fair", "LogiMAT 2027", "--source-date", "12.03.2027",
        stdout=io.StringIO(),
    )  # fmt: skip
    company = Company.objects.get()
    assert (company.source, company.source_name, str(company.source_date)) == (
        "trade_fair",
        "LogiMAT 2027",
        "2027-03-12",
    )
    path.write_text("Vorname;Nachname;Firma;PLZ;Ort\nA;B;Liste AG;80331;München\n")
    call_command(
        "import", str(path), "--kind", "people", "--set", "company_territory=DE-BY",
        "--source", "bought_list", "--vendor", "Schober", "--licence", "einmalig",
        stdout=io.StringIO(),
    )  # fmt: skip
    bought = Company.objects.get(name="Liste AG")
    assert (bought.source, bought.source_vendor, bought.source_licence) == (
        "bought_list",
        "Schober",
        "einmalig",
    )
    with pytest.raises(CommandError, match="--vendor"):
        call_command("import", str(path), "--kind", "orders", "--vendor", "X")
