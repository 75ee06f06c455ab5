"""The qualification pages: the card on the 360° page, the re-qualification queue, the quality
report per territory and team, and the checklists a sales manager edits."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from innendienst.accounts.models import Role
from innendienst.contacts.models import ChannelVerification
from innendienst.core.models import AuditEntry
from innendienst.qualification import quality
from innendienst.qualification.models import Checklist, Requalification
from tests import factories

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - datetime.timedelta(days=800)


@pytest.fixture
def manager(team_south):
    return factories.UserFactory(username="chefin", role=Role.SALES_MANAGER, team=team_south)


@pytest.fixture
def quiet(company):
    """The owner's company: a customer for years, whose last order is two years old."""
    type(company).objects.filter(pk=company.pk).update(created_at=LONG_AGO)
    factories.OrderFactory(company=company, ordered_on=LONG_AGO.date())
    company.refresh_from_db()
    return company


def test_the_360_page_shows_the_completeness_and_what_is_missing(client, owner, company, person):
    group = factories.CustomerGroupFactory(code="OEM", name="OEM")
    company.customer_group = group
    company.save()
    Checklist.objects.create(
        customer_group=group, wanted_functions="Einkauf\nKonstruktion", required_roles=["decider"]
    )
    client.force_login(owner)
    html = client.get(reverse("company_detail", args=[company.pk])).content.decode()
    assert "Qualifizierung" in html
    assert "% vollständig" in html
    assert "Checkliste von OEM" in html
    assert "Kein Ansprechpartner in: Konstruktion" in html
    assert "Buying Center: Entscheider unbekannt" in html


def test_a_customer_due_for_requalification_is_marked_on_his_page_and_requalified_there(
    client, owner, quiet
):
    client.force_login(owner)
    url = reverse("company_detail", args=[quiet.pk])
    html = client.get(url).content.decode()
    assert "Fällig zur Nachqualifizierung" in html
    response = client.post(
        reverse("company_requalified", args=[quiet.pk]),
        {"note": "Einkauf jetzt Frau Berg", "next": url},
    )
    assert response.status_code == 302
    assert response["Location"] == url
    requalification = Requalification.objects.get()
    assert (requalification.done_by, requalification.note) == (owner, "Einkauf jetzt Frau Berg")
    assert AuditEntry.objects.filter(field="requalification", object_id=quiet.pk).exists()
    html = client.get(url).content.decode()
    assert "Fällig zur Nachqualifizierung" not in html
    assert "Einkauf jetzt Frau Berg" in html


def test_a_too_long_result_is_refused_and_nothing_written(client, owner, quiet):
    client.force_login(owner)
    response = client.post(
        reverse("company_requalified", args=[quiet.pk]), {"note": "x" * 501}, follow=True
    )
    assert "höchstens 500 Zeichen" in response.content.decode()
    assert not Requalification.objects.exists()


def test_the_queue_lists_the_customers_to_requalify_with_last_order_and_completeness(
    client, owner, quiet, territories
):
    quality.refresh([quiet.pk])
    factories.CompanyFactory(name="Aktiv GmbH", territory=territories["BY"], inside_rep=owner)
    client.force_login(owner)
    response = client.get(reverse("requalification_queue"), {"sort": "-score"})
    html = response.content.decode()
    assert response.status_code == 200
    assert escape(quiet.name) in html
    assert "Aktiv GmbH" not in html
    assert "1 Kunde zur Nachqualifizierung" in html
    assert LONG_AGO.date().strftime("%d.%m.%Y") in html


def test_the_queue_says_which_filter_is_wrong(client, owner, quiet):
    client.force_login(owner)
    html = client.get(reverse("requalification_queue"), {"sort": "worst"}).content.decode()
    assert escape(quiet.name) not in html
    assert "Bitte korrigieren Sie die Filter" in html


def test_the_report_shows_verification_shares_per_territory_and_team(
    client, owner, company, person, north_company
):
    ChannelVerification.objects.create(
        company=company, channel="phone", value=company.phone, method="phone"
    )
    quality.refresh([company.pk, north_company.pk])
    client.force_login(owner)
    response = client.get(reverse("qualification_report"))
    report = response.context["report"]
    assert report.total.companies == 1  # not the outsider's company in Nord
    assert (report.total.phones, report.total.phones_verified) == (1, 1)
    assert [(row.name, row.companies) for row in report.territories] == [("Bayern", 1)]
    assert [(row.name, row.phone_share) for row in report.teams] == [("Innendienst Süd", 100.0)]
    html = response.content.decode()
    assert "Telefonnummern bestätigt" in html
    assert "100,0 %" in html


def test_a_manager_edits_a_checklist_in_place(client, manager):
    group = factories.CustomerGroupFactory(code="OEM", name="OEM")
    client.force_login(manager)
    html = client.get(reverse("checklist_list"), {"edit": group.pk}).content.decode()
    assert "Checkliste für OEM" in html
    response = client.post(
        reverse("checklist_list"),
        {
            "customer_group": group.pk,
            "wanted_functions": "Einkauf",
            "required_roles": ["decider", "buyer"],
            "required_authority": "",
            "required_attributes": ["vat_id"],
            "requalify_after_months": "12",
        },
    )
    assert response.status_code == 302
    checklist = Checklist.objects.get(customer_group=group)
    assert checklist.required_roles == ["decider", "buyer"]
    assert checklist.requalify_after_months == 12


def test_a_bad_period_is_named_next_to_its_field(client, manager):
    group = factories.CustomerGroupFactory(code="OEM", name="OEM")
    client.force_login(manager)
    response = client.post(
        reverse("checklist_list"), {"customer_group": group.pk, "requalify_after_months": "0"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["requalify_after_months"]
    assert not Checklist.objects.exists()


def test_an_inside_rep_reads_the_checklists_but_does_not_edit_them(client, owner):
    group = factories.CustomerGroupFactory(code="OEM", name="OEM")
    client.force_login(owner)
    html = client.get(reverse("checklist_list")).content.decode()
    assert "OEM" in html
    assert "?edit=" not in html
    assert client.get(reverse("checklist_list"), {"edit": group.pk}).status_code == 403
    response = client.post(
        reverse("checklist_list"), {"customer_group": group.pk, "requalify_after_months": "6"}
    )
    assert response.status_code == 403
    assert not Checklist.objects.exists()


def test_marketing_has_no_queue(client, marketer):
    client.force_login(marketer)
    assert client.get(reverse("requalification_queue")).status_code == 403


def test_the_person_page_shows_the_contacts_completeness(client, owner, person):
    client.force_login(owner)
    html = client.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "% vollständig" in html
    assert "Keine Telefonnummer" in html
    assert "Keine Rolle im Buying Center" in html
    assert "Beste Erreichbarkeit unbekannt" in html


def test_a_customer_group_that_is_no_number_is_not_found(client, manager):
    client.force_login(manager)
    assert client.get(reverse("checklist_list"), {"edit": "²"}).status_code == 404
    assert client.get(reverse("checklist_list"), {"edit": "999999"}).status_code == 404
    response = client.post(reverse("checklist_list"), {"customer_group": "x"})
    assert response.status_code == 404


def test_a_new_checklist_starts_from_the_default_the_decider(client, manager):
    group = factories.CustomerGroupFactory(code="OEM", name="OEM")
    client.force_login(manager)
    response = client.get(reverse("checklist_list"), {"edit": group.pk})
    assert response.context["form"]["required_roles"].value() == ["decider"]
