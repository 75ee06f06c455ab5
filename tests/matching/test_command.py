"""``innendienst duplicates scan`` and ``innendienst duplicates export``."""

import csv

import pytest
from django.core.management import CommandError, call_command

from innendienst.core import external_keys
from innendienst.matching.models import DuplicatePair, Scan
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins(company, territories):
    twin = factories.CompanyFactory(
        name="Mueller Maschinenbau KG", territory=territories["BY"], customer_number=None
    )
    external_keys.keys_add([(twin, ("SAP", "100042"))])
    return company, twin


def test_it_scans_with_a_progress_bar_and_exports_the_pairs(twins, tmp_path, capsys, admin_user):
    company, twin = twins
    call_command("duplicates", "scan", "--kind", "companies")
    out, err = capsys.readouterr()
    assert "neue Paare zu prüfen" in out
    assert "100%" in err
    assert "Kandidatenpaare werden verglichen" in err
    assert Scan.objects.get().started_by == admin_user
    assert DuplicatePair.objects.filter(left_id=company.pk, right_id=twin.pk).exists()

    path = tmp_path / "paare.csv"
    call_command("duplicates", "export", str(path), "--kind", "companies")
    rows = list(csv.reader(path.open(encoding="utf-8-sig"), delimiter=";"))
    assert rows[0][0] == "Gruppe"
    assert rows[1][2:8] == [
        str(company.pk),
        company.name,
        "",
        str(twin.pk),
        "Mueller Maschinenbau KG",
        "SAP: 100042",
    ]
    assert "gleicher Name" in rows[1][8] or "klingt gleich" in rows[1][8]


def test_a_rep_exports_only_pairs_she_sees(twins, tmp_path, outsider, admin_user):
    call_command("duplicates", "scan", "--kind", "companies")
    path = tmp_path / "paare.csv"
    call_command("duplicates", "export", str(path), "--kind", "companies", "--as", "outsider")
    assert len(path.read_text(encoding="utf-8-sig").splitlines()) == 1


def test_an_unknown_user_or_a_missing_file_is_a_clear_error(twins, admin_user):
    with pytest.raises(CommandError, match="Benutzer"):
        call_command("duplicates", "scan", "--kind", "people", "--as", "niemand")
    with pytest.raises(CommandError, match="CSV"):
        call_command("duplicates", "export", "--kind", "people")
