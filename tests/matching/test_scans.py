"""matching.scans: the whole database against itself, the review queue, decisions kept."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innendienst.accounts.models import Role
from innendienst.matching import scans, selectors
from innendienst.matching.models import DuplicatePair, PairStatus, RecordKind, Scan, ScanStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(team_south):
    return factories.UserFactory(username="chefin", role=Role.SALES_MANAGER, team=team_south)


@pytest.fixture
def twins(territories):
    mayer = factories.CompanyFactory(
        name="Mayer Werkzeugbau GmbH & Co. KG", street="Hauptstraße 5", postcode="80331",
        city="München", territory=territories["BY"], phone="",
    )  # fmt: skip
    maier = factories.CompanyFactory(
        name="Maier Werkzeugbau KG", legal_form="kg", street="Hauptstr. 5", postcode="80331",
        city="München", territory=territories["BY"], phone="",
    )  # fmt: skip
    other = factories.CompanyFactory(
        name="Schober Logistik AG", legal_form="ag", street="Am Hafen 1", postcode="20095",
        city="Hamburg", territory=territories["BY"], phone="",
    )  # fmt: skip
    return mayer, maier, other


def scan(actor, kind=RecordKind.COMPANY, full=False, capture=None):
    with capture(execute=True):
        started = scans.scan_start(actor=actor, kind=kind, full=full)
    return Scan.objects.get(pk=started.pk)


def test_it_finds_the_pair_and_puts_it_in_the_queue(
    manager, owner, twins, django_capture_on_commit_callbacks
):
    mayer, maier, _other = twins
    done = scan(manager, capture=django_capture_on_commit_callbacks)
    assert done.status == ScanStatus.DONE
    assert done.found == 1
    pair = DuplicatePair.objects.get()
    assert (pair.left_id, pair.right_id, pair.cluster) == (mayer.pk, maier.pk, mayer.pk)
    assert pair.score > 0.9
    _page, clusters = selectors.review_queue(owner, RecordKind.COMPANY)
    [cluster] = clusters
    [shown] = cluster.pairs
    assert (shown.left, shown.right) == (mayer, maier)
    assert "gleiche Straße und Hausnummer" in [reason.text for reason in shown.reasons]


def test_a_rep_sees_only_pairs_of_which_she_sees_both(
    manager, outsider, twins, django_capture_on_commit_callbacks
):
    scan(manager, capture=django_capture_on_commit_callbacks)
    assert selectors.pairs_for(outsider, RecordKind.COMPANY).count() == 0


def test_a_pair_declared_no_duplicate_never_comes_back(
    manager, twins, django_capture_on_commit_callbacks
):
    scan(manager, capture=django_capture_on_commit_callbacks)
    DuplicatePair.objects.update(status=PairStatus.NOT_DUPLICATE)
    done = scan(manager, full=True, capture=django_capture_on_commit_callbacks)
    assert done.found == 0
    assert DuplicatePair.objects.get().status == PairStatus.NOT_DUPLICATE


def test_a_second_scan_compares_only_what_changed(
    manager, twins, territories, django_capture_on_commit_callbacks
):
    scan(manager, capture=django_capture_on_commit_callbacks)
    third = factories.CompanyFactory(
        name="Schober Logistik", street="Am Hafen 1", postcode="20095", city="Hamburg",
        territory=territories["BY"], phone="",
    )  # fmt: skip
    done = scan(manager, capture=django_capture_on_commit_callbacks)
    assert done.since is not None
    assert done.found == 1
    assert DuplicatePair.objects.filter(status=PairStatus.OPEN).count() == 2
    assert DuplicatePair.objects.filter(right_id=third.pk).exists()


def test_a_scan_started_twice_is_refused(manager, twins):
    Scan.objects.create(kind=RecordKind.COMPANY, status=ScanStatus.RUNNING)
    with pytest.raises(ValidationError, match="läuft bereits"):
        scans.scan_start(actor=manager, kind=RecordKind.COMPANY)


def test_marketing_starts_no_scan(marketer):
    with pytest.raises(PermissionDenied):
        scans.scan_start(actor=marketer, kind=RecordKind.COMPANY)


def test_people_are_scanned_too_and_colleagues_stay_apart(
    manager, company, django_capture_on_commit_callbacks
):
    juergen = factories.PersonFactory(
        company=company, first_name="Jürgen", last_name="Schmidt", phone="+49 89 555123"
    )
    again = factories.PersonFactory(
        company=company, first_name="Juergen", last_name="Schmid", phone="089 555123", email=""
    )
    factories.PersonFactory(
        company=company, first_name="Anna", last_name="Schmidt", email="anna.schmidt@mueller.de"
    )
    done = scan(manager, kind=RecordKind.PERSON, capture=django_capture_on_commit_callbacks)
    assert done.status == ScanStatus.DONE
    assert list(DuplicatePair.objects.values_list("left_id", "right_id")) == [
        (juergen.pk, again.pk)
    ]


def test_a_scan_whose_worker_went_silent_is_given_up_for_a_new_one(manager, twins):
    from django.utils import timezone

    silent = Scan.objects.create(
        kind=RecordKind.COMPANY,
        status=ScanStatus.RUNNING,
        heartbeat_at=timezone.now() - scans.ABANDONED_AFTER * 2,
    )
    started = scans.scan_start(actor=manager, kind=RecordKind.COMPANY, queue=False)
    silent.refresh_from_db()
    assert silent.status == ScanStatus.FAILED
    assert started.status == ScanStatus.QUEUED


def test_a_scan_delivered_twice_runs_once(manager, twins, django_capture_on_commit_callbacks):
    started = scans.scan_start(actor=manager, kind=RecordKind.COMPANY, queue=False)
    scans.scan_run(started.pk)
    again = scans.scan_run(started.pk)
    assert again.status == ScanStatus.DONE
    assert DuplicatePair.objects.count() == 1


def test_the_pairs_of_changed_records_are_found_from_their_keys_alone(territories):
    from innendienst.matching import keys

    def firm(name: str, street: str) -> int:
        return factories.CompanyFactory(
            name=name, street=street, territory=territories["BY"], phone=""
        ).pk

    first = firm("Adler Hydraulik GmbH", "Adlerweg 1")
    other = firm("Becker Pumpen GmbH", "Beckerweg 2")
    changed = firm("Adler Hydraulik KG", "Adlerweg 1")
    other_twin = firm("Becker Pumpen KG", "Beckerweg 2")
    keys.refresh_all(RecordKind.COMPANY)
    every = set(scans.candidate_pairs(RecordKind.COMPANY, None))
    assert {(first, changed), (other, other_twin)} <= every
    assert set(scans.candidate_pairs(RecordKind.COMPANY, {changed})) == {
        pair for pair in every if changed in pair
    }
    assert set(scans.candidate_pairs(RecordKind.COMPANY, {first, other_twin})) == {
        pair for pair in every if first in pair or other_twin in pair
    }


def test_the_scan_reads_the_companies_contacts_as_evidence(
    manager, territories, django_capture_on_commit_callbacks
):
    def firm(street: str, postcode: str, city: str):
        return factories.CompanyFactory(
            name="Adler Hydraulik GmbH", street=street, postcode=postcode, city=city,
            territory=territories["BY"], phone="",
        )  # fmt: skip

    old = firm("Adlerweg 1", "80331", "München")
    moved = firm("Am Ring 7", "85748", "Garching")
    factories.PersonFactory(company=old, email="j.schmidt@adler-hydraulik.de")
    factories.PersonFactory(company=moved, email="J.Schmidt@adler-hydraulik.de")
    scan(manager, full=True, capture=django_capture_on_commit_callbacks)
    pair = DuplicatePair.objects.get(left_id=old.pk, right_id=moved.pk)
    assert ["contacts", "shared"] in [reason[:2] for reason in pair.reasons]
