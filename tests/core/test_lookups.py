"""``__among``: ``__in`` for long lists, one array parameter on PostgreSQL."""

from django.db.models.functions import Lower

from innendienst.contacts.models import Company, Person
from tests import factories


def test_it_finds_what_in_finds_by_ids_foreign_keys_and_text(company, person, north_company):
    other = factories.PersonFactory(company=north_company, email="Eva.Nord@Example.de")
    ids = [company.pk, north_company.pk, 10**12]

    assert set(Company.objects.filter(pk__among=ids)) == set(Company.objects.filter(pk__in=ids))
    assert set(Person.objects.filter(company_id__among={north_company.pk})) == {other}
    emails = Person.objects.annotate(folded=Lower("email")).filter(
        folded__among=["eva.nord@example.de", "nobody@example.de"]
    )
    assert list(emails) == [other]


def test_it_finds_nothing_for_no_values(company):
    assert list(Company.objects.filter(pk__among=[])) == []
    assert Company.objects.exclude(pk__among=[]).count() == 1


def test_it_reads_thousands_of_values_in_one_statement(company, django_assert_num_queries):
    wanted = [company.pk, *range(10**9, 10**9 + 20_000)]
    with django_assert_num_queries(1):
        assert list(Company.objects.filter(pk__among=wanted)) == [company]


def test_it_leaves_out_what_in_leaves_out(company, north_company):
    numbers = [company.customer_number, None]
    assert list(Company.objects.exclude(customer_number__among=numbers)) == list(
        Company.objects.exclude(customer_number__in=numbers)
    )
    assert list(Company.objects.filter(customer_number__among=[None])) == []


def test_it_compares_whole_values_not_cut_to_the_columns_length(company):
    company.customer_number = "K-" + "1" * 18  # as long as the column allows
    company.save(update_fields=["customer_number"])
    typed = company.customer_number + "9"
    assert list(Company.objects.filter(customer_number__among=[typed])) == []
