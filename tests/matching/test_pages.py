"""The Dubletten pages: the queue, the comparison with its merge, "kein Duplikat", the scan
button, and the merges with their undo."""

import pytest
from django.urls import reverse

from innendienst.contacts.models import Company
from innendienst.matching.models import DuplicatePair, Merge, PairStatus, RecordKind, Scan
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def twin(company, territories):
    return factories.CompanyFactory(
        name="Mueller Maschinenbau KG", legal_form="kg", territory=territories["BY"],
        customer_number=None, vat_id="ATU13585627",
    )  # fmt: skip


@pytest.fixture
def pair(company, twin):
    return DuplicatePair.objects.create(
        kind=RecordKind.COMPANY, left_id=company.pk, right_id=twin.pk, score=0.97,
        cluster=company.pk, reasons=[["name", "exact", 12.0], ["legal_form", "different", -1.6]],
    )  # fmt: skip


def test_the_queue_shows_the_pair_with_its_reasons(client, owner, pair, company, twin):
    client.force_login(owner)
    html = client.get(reverse("duplicate_queue_company")).content.decode()
    assert company.get_absolute_url() in html
    assert twin.get_absolute_url() in html
    assert "97 %" in html
    assert "gleicher Name, Rechtsform abweichend" in html
    assert reverse("duplicate_pair", args=[pair.pk]) in html


def test_the_outsider_sees_no_pair_of_records_he_does_not_see(client, outsider, pair, company):
    client.force_login(outsider)
    html = client.get(reverse("duplicate_queue_company")).content.decode()
    assert company.name not in html
    assert client.get(reverse("duplicate_pair", args=[pair.pk])).status_code == 404


def test_she_compares_chooses_a_value_and_merges(client, owner, pair, company, twin):
    client.force_login(owner)
    url = reverse("duplicate_pair", args=[pair.pk])
    html = client.get(url).content.decode()
    assert 'name="field_vat_id"' in html
    assert 'name="field_name"' in html
    response = client.post(url, {"survivor": company.pk, "field_vat_id": twin.pk})
    assert response["Location"] == company.get_absolute_url()
    company.refresh_from_db()
    assert company.vat_id == "ATU13585627"
    assert not Company.objects.filter(pk=twin.pk).exists()
    assert DuplicatePair.objects.get().status == PairStatus.MERGED


def test_she_may_keep_the_other_record(client, owner, pair, company, twin):
    client.force_login(owner)
    response = client.post(reverse("duplicate_pair", args=[pair.pk]), {"survivor": twin.pk})
    assert response["Location"] == twin.get_absolute_url()
    assert not Company.objects.filter(pk=company.pk).exists()


def test_no_duplicate_is_remembered(client, owner, pair):
    client.force_login(owner)
    response = client.post(reverse("duplicate_reject", args=[pair.pk]))
    assert response["Location"] == reverse("duplicate_queue_company")
    assert DuplicatePair.objects.get().status == PairStatus.NOT_DUPLICATE
    again = client.post(reverse("duplicate_reject", args=[pair.pk]), follow=True)
    assert again.status_code == 404


def test_the_merge_is_listed_and_undone(client, owner, pair, company, twin):
    client.force_login(owner)
    client.post(reverse("duplicate_pair", args=[pair.pk]), {"survivor": company.pk})
    merge = Merge.objects.get()
    html = client.get(reverse("duplicate_merges")).content.decode()
    assert "Mueller Maschinenbau KG" in html
    response = client.post(reverse("duplicate_undo", args=[merge.pk]))
    assert response["Location"] == twin.get_absolute_url()
    assert Company.objects.filter(pk=twin.pk).exists()
    again = client.post(reverse("duplicate_undo", args=[merge.pk]), follow=True)
    assert "bereits rückgängig" in again.content.decode()


def test_she_starts_a_scan_and_sees_its_result(
    client, owner, company, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("duplicate_scan_company"))
    assert Scan.objects.get().status == "done"
    html = client.get(reverse("duplicate_queue_company")).content.decode()
    assert "Letzte Suche" in html
    again = client.post(reverse("duplicate_scan_company"), follow=True)
    assert "läuft bereits" not in again.content.decode()  # the first one is done


def test_a_second_scan_while_one_runs_is_refused_with_a_message(client, owner):
    Scan.objects.create(kind=RecordKind.COMPANY, status="running")
    client.force_login(owner)
    response = client.post(reverse("duplicate_scan_company"), follow=True)
    assert "läuft bereits" in response.content.decode()


def test_marketing_has_no_duplicate_pages(client, marketer, pair):
    client.force_login(marketer)
    assert client.get(reverse("duplicate_queue_company")).status_code == 403
    assert client.get(reverse("duplicate_pair", args=[pair.pk])).status_code == 403
    assert client.post(reverse("duplicate_scan_company")).status_code == 403


def test_the_form_values_name_ids_of_thousands_without_a_separator(client, owner, company, twin):
    """German number format writes 3541 as "3.541": the radio values must stay ids."""
    high = factories.CompanyFactory(
        id=3541, name="Mueller Maschinenbau OHG", territory=company.territory, customer_number=None
    )
    pair = DuplicatePair.objects.create(
        kind=RecordKind.COMPANY, left_id=company.pk, right_id=high.pk, score=0.97,
        cluster=company.pk,
    )  # fmt: skip
    client.force_login(owner)
    html = client.get(reverse("duplicate_pair", args=[pair.pk])).content.decode()
    assert 'value="3541"' in html
    assert "3.541" not in html
