"""matching.merges: one record out of two, every related row along, and the undo that puts
exactly that back."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innendienst.activities.models import Activity
from innendienst.contacts.models import BuyingCenterMembership, Company, CompanyAddress, Person
from innendienst.contacts.services import company_update
from innendienst.core import external_keys
from innendienst.core.models import AuditEntry, ExternalKey
from innendienst.matching import merges, scans
from innendienst.matching.models import DuplicatePair, MatchKey, Merge, PairStatus, RecordKind
from innendienst.orders.models import Order
from innendienst.privacy.models import Consent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def twin(company, territories):
    """Müller typed again by someone else: a person, a call, an order, an address, a role
    that the company holds too, and the ERP's key."""
    twin = factories.CompanyFactory(
        name="Mueller Maschinenbau KG", legal_form="kg", territory=territories["BY"],
        customer_number=None, vat_id="DE123456788", website="https://mueller-maschinen.de",
    )  # fmt: skip
    buyer = factories.PersonFactory(company=twin, first_name="Karl", last_name="Huber")
    factories.ActivityFactory(company=twin, person=buyer)
    factories.OrderFactory(company=twin)
    CompanyAddress.objects.create(
        company=twin, kind="delivery", street="Lagerweg 1", postcode="85748", city="Garching"
    )
    external_keys.keys_add([(twin, ("SAP", "100042"))])
    return twin


def merged(owner, company, twin, **choices):
    return merges.records_merge(
        actor=owner, kind=RecordKind.COMPANY, survivor_id=company.pk, merged_ids=[twin.pk],
        choices=choices,
    )  # fmt: skip


def test_a_merge_takes_everything_along_and_the_chosen_values(owner, company, twin):
    external_keys.keys_add([(company, ("SAP", "100001"))])
    [merge] = merged(owner, company, twin, vat_id=twin.pk)
    assert not Company.objects.filter(pk=twin.pk).exists()
    for model in (Person, Activity, Order, CompanyAddress):
        assert model.objects.filter(company=company).exists(), model
    company.refresh_from_db()
    assert company.vat_id == "DE123456788"
    assert company.legal_form == "gmbh_co_kg"
    keys = ExternalKey.objects.filter(object_id=company.pk).values_list("source", "key")
    assert set(keys) == {("SAP", "100001"), ("SAP", "100042")}
    note = AuditEntry.objects.get(object_id=company.pk, field="merge")
    assert "Mueller Maschinenbau KG" in note.new_value
    assert "mueller-maschinen.de" in note.new_value  # the website that did not survive
    assert merge.moved["rows"]["contacts.Person.company"]


def test_the_next_import_with_either_key_finds_the_survivor(owner, company, twin):
    merged(owner, company, twin)
    assert external_keys.records_by_key(Company, [("SAP", "100042")]) == {
        ("SAP", "100042"): company
    }


def test_an_undo_puts_back_exactly_what_the_merge_moved(owner, company, twin):
    people_before = set(Person.objects.filter(company=company).values_list("pk", flat=True))
    [merge] = merged(owner, company, twin, vat_id=twin.pk)
    kept = merges.merge_undo(actor=owner, merge=merge)
    assert kept == []
    restored = Company.objects.get(pk=twin.pk)
    assert restored.name == "Mueller Maschinenbau KG"
    assert set(Person.objects.filter(company=company).values_list("pk", flat=True)) == people_before
    assert Person.objects.filter(company=restored).count() == 1
    assert Order.objects.filter(company=restored).count() == 1
    assert CompanyAddress.objects.filter(company=restored).count() == 1
    assert ExternalKey.objects.get(key="100042").object_id == twin.pk
    company.refresh_from_db()
    assert company.vat_id == ""
    with pytest.raises(merges.CannotUndo):
        merges.merge_undo(actor=owner, merge=Merge.objects.get(pk=merge.pk))


def test_a_role_held_at_both_is_kept_once_and_comes_back_on_undo(owner, company, twin, person):
    BuyingCenterMembership.objects.create(person=person, company=company, role="decider")
    BuyingCenterMembership.objects.create(person=person, company=twin, role="decider")
    [merge] = merged(owner, company, twin)
    assert BuyingCenterMembership.objects.filter(person=person, role="decider").count() == 1
    merges.merge_undo(actor=owner, merge=merge)
    assert BuyingCenterMembership.objects.filter(person=person, company=twin).count() == 1


def test_an_undo_keeps_what_was_changed_on_the_survivor_since(owner, company, twin):
    [merge] = merged(owner, company, twin, vat_id=twin.pk)
    company_update(actor=owner, company=company, data={"vat_id": "ATU13585627"})
    assert merges.merge_undo(actor=owner, merge=merge) == ["USt-IdNr./UID"]
    company.refresh_from_db()
    assert company.vat_id == "ATU13585627"


def test_an_undo_waits_for_a_later_merge_into_the_survivor(owner, company, twin, territories):
    third = factories.CompanyFactory(territory=territories["BY"], customer_number=None)
    [first] = merged(owner, company, twin)
    [second] = merged(owner, company, third)
    with pytest.raises(merges.CannotUndo):
        merges.merge_undo(actor=owner, merge=first)
    merges.merge_undo(actor=owner, merge=second)
    merges.merge_undo(actor=owner, merge=first)
    assert Company.objects.filter(pk__in=[twin.pk, third.pk]).count() == 2


def test_an_undo_is_refused_when_the_survivor_was_merged_away(owner, company, twin, territories):
    third = factories.CompanyFactory(territory=territories["BY"], customer_number=None)
    [first] = merged(owner, company, twin)
    merges.records_merge(
        actor=owner, kind=RecordKind.COMPANY, survivor_id=third.pk, merged_ids=[company.pk]
    )
    with pytest.raises(merges.CannotUndo):
        merges.merge_undo(actor=owner, merge=first)


@pytest.mark.parametrize("merged_ids", [[], "self"])
def test_a_record_is_not_merged_with_itself_or_nothing(owner, company, merged_ids):
    ids = [company.pk] if merged_ids == "self" else merged_ids
    with pytest.raises(ValidationError):
        merges.records_merge(
            actor=owner, kind=RecordKind.COMPANY, survivor_id=company.pk, merged_ids=ids
        )


def test_a_record_she_may_not_see_is_not_merged(owner, company, north_company):
    with pytest.raises(PermissionDenied):
        merged(owner, company, north_company)
    assert Company.objects.filter(pk=north_company.pk).exists()


def test_a_record_merged_already_is_not_merged_again(owner, company, twin, territories):
    merged(owner, company, twin)
    with pytest.raises(ValidationError, match=f"#{twin.pk}"):
        merged(owner, company, twin)


def test_a_field_choice_that_names_another_record_is_an_error(owner, company, twin):
    with pytest.raises(ValidationError) as raised:
        merged(owner, company, twin, vat_id=999_999, colour=twin.pk)
    assert set(raised.value.message_dict) == {"vat_id", "colour"}
    assert Company.objects.filter(pk=twin.pk).exists()


def test_people_are_merged_with_their_consents_and_come_back(owner, company, person):
    again = factories.PersonFactory(company=company, first_name="Anna", last_name="Berger")
    consent = factories.ConsentFactory(person=again)
    [merge] = merges.records_merge(
        actor=owner, kind=RecordKind.PERSON, survivor_id=person.pk, merged_ids=[again.pk]
    )
    assert Consent.objects.get(pk=consent.pk).person_id == person.pk
    merges.merge_undo(actor=owner, merge=merge)
    assert Consent.objects.get(pk=consent.pk).person_id == again.pk


def test_the_pair_is_decided_by_the_merge_and_open_again_after_the_undo(
    owner, company, twin, django_capture_on_commit_callbacks
):
    DuplicatePair.objects.create(
        kind=RecordKind.COMPANY, left_id=company.pk, right_id=twin.pk, score=0.95,
        cluster=company.pk,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        [merge] = merged(owner, company, twin)
    assert DuplicatePair.objects.get().status == PairStatus.MERGED
    assert not MatchKey.objects.filter(kind=RecordKind.COMPANY, record_id=twin.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        merges.merge_undo(actor=owner, merge=merge)
    assert DuplicatePair.objects.get().status == PairStatus.OPEN
    assert MatchKey.objects.filter(kind=RecordKind.COMPANY, record_id=twin.pk).exists()


def test_kein_duplikat_is_kept_and_a_pair_decided_twice_is_an_error(owner, company, twin):
    pair = DuplicatePair.objects.create(
        kind=RecordKind.COMPANY, left_id=company.pk, right_id=twin.pk, score=0.95,
        cluster=company.pk,
    )  # fmt: skip
    merges.pair_reject(actor=owner, kind=RecordKind.COMPANY, pair_id=pair.pk)
    assert DuplicatePair.objects.get().status == PairStatus.NOT_DUPLICATE
    with pytest.raises(ValidationError):
        merges.pair_reject(actor=owner, kind=RecordKind.COMPANY, pair_id=pair.pk)
    with pytest.raises(ValidationError):
        merges.pair_reject(actor=owner, kind=RecordKind.COMPANY, pair_id=pair.pk + 99)


def test_an_outsider_decides_no_pair_of_records_he_does_not_see(outsider, company, twin):
    pair = DuplicatePair.objects.create(
        kind=RecordKind.COMPANY, left_id=company.pk, right_id=twin.pk, score=0.95,
        cluster=company.pk,
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        merges.pair_reject(actor=outsider, kind=RecordKind.COMPANY, pair_id=pair.pk)
    assert scans  # the scan writes these pairs: tests/matching/test_scans.py


def test_a_pair_is_merged_only_into_one_of_its_two_records(owner, company, twin, territories):
    third = factories.CompanyFactory(territory=territories["BY"], customer_number=None)
    pair = DuplicatePair.objects.create(
        kind=RecordKind.COMPANY, left_id=company.pk, right_id=twin.pk, score=0.95,
        cluster=company.pk,
    )  # fmt: skip
    for survivor in (third.pk, "", "x"):
        with pytest.raises(ValidationError):
            merges.pair_merge(actor=owner, pair_id=pair.pk, survivor_id=survivor, choices={})
    assert Company.objects.filter(pk__in=[company.pk, twin.pk, third.pk]).count() == 3


def test_values_chosen_from_two_records_must_fit_together(owner, company, territories):
    swiss = factories.CompanyFactory(
        territory=territories["BY"], customer_number=None, country="CH", postcode="8001"
    )
    with pytest.raises(ValidationError) as raised:
        merges.records_merge(
            actor=owner, kind=RecordKind.COMPANY, survivor_id=company.pk,
            merged_ids=[swiss.pk], choices={"country": swiss.pk},
        )  # fmt: skip
    assert "postcode" in raised.value.message_dict or "country" in raised.value.message_dict
    assert Company.objects.filter(pk=swiss.pk).exists()


def test_an_undo_is_refused_when_the_merged_persons_company_is_gone(owner, company, territories):
    other = factories.CompanyFactory(territory=territories["BY"], customer_number=None)
    kept = factories.PersonFactory(company=company, first_name="Jürgen", last_name="Schmidt")
    gone = factories.PersonFactory(company=other, first_name="Juergen", last_name="Schmidt")
    [merge] = merges.records_merge(
        actor=owner, kind=RecordKind.PERSON, survivor_id=kept.pk, merged_ids=[gone.pk]
    )
    other.delete()
    with pytest.raises(merges.CannotUndo):
        merges.merge_undo(actor=owner, merge=merge)


def test_an_undo_that_would_bring_back_a_record_she_may_not_see_is_refused(
    owner, outsider, company, territories
):
    """A manager merged a Nord company into a Bayern one; the Bayern rep may not undo it."""
    north = factories.CompanyFactory(territory=territories["NORD"], customer_number=None)
    admin = factories.UserFactory(username="chef", is_superuser=True)
    [merge] = merges.records_merge(
        actor=admin, kind=RecordKind.COMPANY, survivor_id=company.pk, merged_ids=[north.pk]
    )
    with pytest.raises(PermissionDenied):
        merges.merge_undo(actor=owner, merge=merge)
    assert not Company.objects.filter(pk=north.pk).exists()
