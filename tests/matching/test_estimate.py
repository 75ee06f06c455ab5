"""The weights learnt by a whole-database scan: m estimated by EM from the candidate pairs, the
reviewers' decisions as known answers, kept within bounds, stored for the entry checks."""

import pytest

from innendienst.matching import estimate, keys, scans, selectors
from innendienst.matching.engine import (
    COMPANY_COMPARISONS,
    PERSON_COMPARISONS,
    Reason,
    Score,
    score,
)
from innendienst.matching.models import DuplicatePair, PairStatus, RecordKind, Weights
from innendienst.matching.profiles import key_hash, person_profile
from tests import factories

DEFAULT = estimate.starting_m(PERSON_COMPARISONS)
FIRM = {"name": "Müller GmbH", "postcode": "80331", "city": "München", "country": "DE"}


def pair(log_odds: float, *levels: tuple[str, str]) -> Score:
    reasons = tuple(Reason(name, level, "", 0.0) for name, level in levels)
    return Score(0.0, reasons, {}, log_odds)


def test_twins_that_often_differ_in_a_field_teach_that_it_differs_in_twins():
    evidence = estimate.Evidence()
    for _ in range(400):
        evidence.add(pair(30, ("email", "exact"), ("last_name", "exact"), ("first_name", "exact")))
        evidence.add(
            pair(25, ("email", "exact"), ("last_name", "exact"), ("first_name", "variant"))
        )
    learnt = estimate.estimate(PERSON_COMPARISONS, evidence)
    assert learnt is not None
    assert learnt.matches == pytest.approx(800, abs=1)
    # Half the twins carry a variant: m rises from 0.06 to its bound of four times that.
    assert learnt.m[("first_name", "variant")] == pytest.approx(0.24)
    assert learnt.m[("first_name", "exact")] < DEFAULT[("first_name", "exact")]
    # A level never seen in twins sinks, but not below a quarter of the engine's value.
    assert learnt.m[("first_name", "different")] == pytest.approx(0.0005)


def test_unlikely_pairs_teach_nothing_and_too_few_twins_no_estimate():
    evidence = estimate.Evidence()
    for _ in range(5000):
        evidence.add(pair(-12, ("first_name", "exact"), ("last_name", "different")))
    assert estimate.estimate(PERSON_COMPARISONS, evidence) is None


def test_a_pair_marked_no_duplicate_does_not_count_as_twins_and_a_merged_one_counts_more():
    evidence = estimate.Evidence()
    for number in range(100):
        evidence.add(pair(30, ("email", "exact"), ("last_name", "exact")))
        evidence.add_decision((number, number + 1000), [["phone", "exact", 20.0]], True)
        evidence.add_decision((number, number + 2000), [["company", "alike", 9.0]], False)
    learnt = estimate.estimate(PERSON_COMPARISONS, evidence)
    assert learnt.decisions == 200
    assert learnt.m[("phone", "exact")] > DEFAULT[("phone", "exact")]
    assert learnt.m[("company", "alike")] == pytest.approx(DEFAULT[("company", "alike")])


def test_a_pair_rescored_with_new_weights_scores_as_if_scored_with_them():
    a = person_profile(
        {"id": 1, "company_id": 7, "first_name": "Jürgen", "last_name": "Schmid"}, FIRM
    )
    b = person_profile(
        {"id": 2, "company_id": 7, "first_name": "Juergen", "last_name": "Schmidt"}, FIRM
    )
    counts = {}
    weights = {("last_name", "typo"): 0.09, ("first_name", "exact"): 0.7}
    first = score(PERSON_COMPARISONS, a, b, total=50_000, counts=counts)
    again = estimate.rescored(first, DEFAULT, {**DEFAULT, **weights})
    direct = score(PERSON_COMPARISONS, a, b, total=50_000, counts=counts, weights=weights)
    assert again.log_odds == pytest.approx(direct.log_odds)
    assert again.probability == pytest.approx(direct.probability)
    assert [r.bits for r in again.reasons] == pytest.approx([r.bits for r in direct.reasons])


@pytest.mark.django_db
def test_a_whole_database_scan_stores_the_weights_and_the_entry_check_uses_them(
    territories, monkeypatch
):
    monkeypatch.setattr(estimate, "MIN_MATCHES", 3)
    places = [("80331", "München"), ("86150", "Augsburg"), ("93047", "Regensburg")]
    for number, firm in enumerate(["Adler", "Becker", "Conrad", "Dietz", "Engel", "Fuchs"]):
        postcode, city = places[number % 3]
        for legal_form, text, street in [("gmbh", "GmbH", "straße"), ("kg", "KG", "str.")]:
            factories.CompanyFactory(
                name=f"{firm} Hydraulik {text}",
                legal_form=legal_form,
                street=f"{firm}weg{street[:0]} {number + 1}",
                postcode=postcode,
                city=city,
                phone=f"+49 89 55500{number}",
                territory=territories["BY"],
            )
    keys.refresh_all(RecordKind.COMPANY)
    scan = scans.scan_start(actor=None, kind=RecordKind.COMPANY, full=True, queue=False)
    scans.scan_run(scan.pk)
    stored = Weights.objects.get(kind=RecordKind.COMPANY)
    assert stored.pairs >= 6
    assert stored.matches >= 3
    learnt = estimate.weights_for(RecordKind.COMPANY)
    # Every twin differs in its legal form here: the data says so, within the bounds.
    assert (
        learnt[("legal_form", "different")]
        > estimate.starting_m(COMPANY_COMPARISONS)[("legal_form", "different")]
    )
    assert (
        DuplicatePair.objects.filter(kind=RecordKind.COMPANY, status=PairStatus.OPEN).count() == 6
    )
    calls = []
    original = selectors.score

    def spy(*args, **kwargs):
        calls.append(kwargs.get("weights"))
        return original(*args, **kwargs)

    monkeypatch.setattr(selectors, "score", spy)
    found = selectors.company_matches(
        factories.UserFactory(is_superuser=True),
        {"name": "Adler Hydraulik GmbH", "postcode": "80331", "city": "München"},
    )
    assert found.candidates
    assert calls
    assert all(weights == learnt for weights in calls)


@pytest.mark.django_db
def test_an_incremental_scan_keeps_the_weights_it_has(territories):
    factories.CompanyFactory(name="Einzel GmbH", territory=territories["BY"])
    scan = scans.scan_start(actor=None, kind=RecordKind.COMPANY, full=False, queue=False)
    scans.scan_run(scan.pk)
    assert not Weights.objects.exists()


@pytest.mark.django_db
def test_the_queue_says_when_the_weights_were_learnt_and_from_what(client, owner):
    from django.urls import reverse
    from django.utils import timezone

    Weights.objects.create(
        kind=RecordKind.COMPANY,
        m={},
        pairs=12_345,
        decisions=7,
        matches=900.0,
        estimated_at=timezone.now(),
    )
    client.force_login(owner)
    html = client.get(reverse("duplicate_queue_company")).content.decode()
    assert "12.345 Kandidatenpaare und 7 Entscheidungen von Prüfern" in html


@pytest.mark.django_db
def test_a_common_keys_count_comes_from_the_cache_a_rare_ones_from_the_table(
    territories, django_assert_num_queries
):
    keys.remember_common(RecordKind.PERSON, {key_hash("L|mueller"): 5_000, key_hash("L|x"): 3})
    with django_assert_num_queries(0):
        assert keys.counts(RecordKind.PERSON, ["L|mueller"]) == {"L|mueller": 5_000}
    with django_assert_num_queries(1):
        assert keys.counts(RecordKind.PERSON, ["L|mueller", "L|x"]) == {"L|mueller": 5_000}


@pytest.mark.django_db
def test_a_key_no_longer_common_at_the_next_scan_is_counted_again(django_assert_num_queries):
    keys.remember_common(RecordKind.PERSON, {key_hash("L|mueller"): 5_000})
    keys.remember_common(RecordKind.PERSON, {key_hash("L|mueller"): 150})
    with django_assert_num_queries(1):
        assert keys.counts(RecordKind.PERSON, ["L|mueller"]) == {}
