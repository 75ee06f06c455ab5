"""Normalisation of DACH master data: one spelling per thing, a clear message otherwise."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from innendienst.core.text import fold, phonetic_code, search_document
from innendienst.core.validation import normalize_phone, normalize_postcode, normalize_vat_id


@pytest.mark.parametrize(
    ("typed", "country", "expected"),
    [
        ("089 1234567", "DE", "+49 89 1234567"),
        ("089/1234567", "DE", "+49 89 1234567"),
        ("+49 (0)89 123 45 67", "DE", "+49 89 1234567"),
        ("0049 89 1234567", "DE", "+49 89 1234567"),
        ("044 123 45 67", "CH", "+41 44 123 45 67"),
        ("+41 44 123 45 67", "DE", "+41 44 123 45 67"),
        ("01 5123456", "AT", "+43 1 5123456"),
    ],
)
def test_it_normalises_phone_numbers_as_people_type_them(typed, country, expected):
    assert normalize_phone(typed, country) == expected


@pytest.mark.parametrize("typed", ["12ab", "+49 123", "0", "call me", "+999 1234567"])
def test_it_rejects_malformed_phone_numbers(typed):
    with pytest.raises(ValidationError) as error:
        normalize_phone(typed, "DE")
    assert error.value.code == "invalid_phone"


@pytest.mark.parametrize(
    ("typed", "country", "expected"),
    [
        ("80331", "DE", "80331"),
        ("D-80331", "DE", "80331"),
        ("1010", "AT", "1010"),
        ("CH-8001", "CH", "8001"),
    ],
)
def test_it_accepts_postcodes_of_the_country(typed, country, expected):
    assert normalize_postcode(typed, country) == expected


@pytest.mark.parametrize(
    ("typed", "country"),
    [("1234", "DE"), ("00123", "DE"), ("12345", "AT"), ("123", "CH"), ("0999", "CH")],
)
def test_it_rejects_postcodes_of_another_shape(typed, country):
    with pytest.raises(ValidationError) as error:
        normalize_postcode(typed, country)
    assert error.value.code == "invalid_postcode"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("DE123456788", "DE123456788"),
        ("de 123 456 788", "DE123456788"),
        ("ATU13585627", "ATU13585627"),
        ("CHE-116.281.710", "CHE-116.281.710"),
        ("CHE116281710 MWST", "CHE-116.281.710"),
    ],
)
def test_it_normalises_vat_and_uid_numbers(typed, expected):
    assert normalize_vat_id(typed) == expected


@pytest.mark.parametrize("typed", ["DE123456789", "ATU13585628", "CHE-116.281.711", "XX123"])
def test_it_rejects_vat_numbers_with_a_wrong_check_digit(typed):
    with pytest.raises(ValidationError) as error:
        normalize_vat_id(typed)
    assert error.value.code == "invalid_vat_id"


def test_it_folds_umlauts_so_mueller_finds_mueller():
    assert fold("Müller Maschinenbau GmbH & Co. KG") == "mueller maschinenbau gmbh co kg"
    assert fold("MÜLLER") == fold("Mueller") == "mueller"
    assert fold("Großhandel Straße") == "grosshandel strasse"
    assert fold("Société Générale Sàrl") == "societe generale sarl"


def test_it_gives_sound_alikes_the_same_phonetic_code():
    assert phonetic_code("Maier") == phonetic_code("Meyer") == phonetic_code("Meier")
    assert phonetic_code("Schmidt") == phonetic_code("Schmitt")
    assert phonetic_code("Müller") == phonetic_code("Mueller")
    assert phonetic_code("a") == ""


def test_it_puts_the_name_first_in_the_search_document():
    document = search_document("Müller GmbH", "K-1", "80331", "München", phonetic="Müller GmbH")
    assert document.startswith("mueller gmbh k 1 80331 muenchen ")
    assert " ~657 " in document


@given(st.text(max_size=200))
def test_it_folds_idempotently_to_ascii(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert folded.isascii()
