"""The stored scores: written in bulk, kept current by the events of every write, and scored
again when a customer group's checklist changes."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from innendienst.accounts.models import Role
from innendienst.contacts import services as contacts
from innendienst.contacts.models import ChannelVerification
from innendienst.core.models import AuditEntry
from innendienst.qualification import quality, services
from innendienst.qualification.models import Checklist, CompanyQuality
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(team_south):
    return factories.UserFactory(username="chefin", role=Role.SALES_MANAGER, team=team_south)


def test_it_stores_the_score_with_what_is_missing(company, person):
    assert quality.refresh([company.pk]) == 1
    stored = CompanyQuality.objects.get(company=company)
    assert "role:decider" in stored.missing
    assert "contact" not in stored.missing
    assert 0 < stored.score < 100
    # Scoring again changes the row, never adds one.
    quality.refresh([company.pk])
    assert CompanyQuality.objects.count() == 1


def test_a_confirmation_of_an_old_value_does_not_count(company, owner):
    ChannelVerification.objects.create(
        company=company, channel="phone", value="+49 89 7654321", method="phone"
    )
    quality.refresh([company.pk])
    stored = CompanyQuality.objects.get(company=company)
    assert (stored.phones, stored.phones_verified) == (1, 0)
    assert "phone_verified" in stored.missing


def test_the_events_of_the_services_keep_the_score_current(
    company, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contacts.channel_verify(actor=owner, channel="phone", method="phone", company=company)
    stored = CompanyQuality.objects.get(company=company)
    assert (stored.phones, stored.phones_verified) == (1, 1)
    assert "contact" in stored.missing

    with django_capture_on_commit_callbacks(execute=True):
        person = contacts.person_create(
            actor=owner,
            company=company,
            data={"last_name": "Berg", "email": "berg@mueller.de", "phone": "089 1234567-20"},
        )
    stored.refresh_from_db()
    assert "contact" not in stored.missing
    assert "contact_reachable" not in stored.missing

    with django_capture_on_commit_callbacks(execute=True):
        contacts.buying_center_set_roles(
            actor=owner, person=person, company=company, roles=["decider"]
        )
    stored.refresh_from_db()
    assert "role:decider" not in stored.missing

    with django_capture_on_commit_callbacks(execute=True):
        contacts.company_update(actor=owner, company=company, data={"phone": ""})
    stored.refresh_from_db()
    assert stored.phones == 1  # Berg's direct dial only
    assert "phone" in stored.missing


def test_a_manager_sets_a_checklist_and_its_companies_are_scored_by_it(
    manager, company, person, django_capture_on_commit_callbacks
):
    group = factories.CustomerGroupFactory(code="OEM")
    company.customer_group = group
    company.save()
    with django_capture_on_commit_callbacks(execute=True):
        checklist = services.checklist_save(
            actor=manager,
            customer_group=group,
            data={
                "wanted_functions": " Einkauf \n\n Konstruktion ",
                "required_roles": ["buyer", "decider"],
                "required_authority": "full",
                "required_attributes": ["vat_id"],
                "requalify_after_months": 12,
            },
        )
    assert checklist.functions == ["Einkauf", "Konstruktion"]
    assert checklist.required_roles == ["decider", "buyer"]  # in the list's order
    stored = CompanyQuality.objects.get(company=company)
    assert stored.missing[-5:] == [
        "function:Konstruktion", "role:decider", "role:buyer", "authority:full",
        "attribute:vat_id",
    ]  # fmt: skip
    assert AuditEntry.objects.filter(object_id=checklist.pk, action="create").exists()


def test_an_inside_rep_does_not_set_checklists(owner):
    group = factories.CustomerGroupFactory(code="OEM")
    with pytest.raises(PermissionDenied):
        services.checklist_save(actor=owner, customer_group=group, data={})
    assert not Checklist.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"required_roles": ["king"]}, "required_roles"),
        ({"required_roles": "decider"}, "required_roles"),
        ({"required_attributes": ["password"]}, "required_attributes"),
        ({"requalify_after_months": 0}, "requalify_after_months"),
        ({"requalify_after_months": 121}, "requalify_after_months"),
        ({"required_authority": "emperor"}, "required_authority"),
    ],
)
def test_a_bad_checklist_is_refused_at_its_field(manager, data, field):
    group = factories.CustomerGroupFactory(code="OEM")
    with pytest.raises(ValidationError) as caught:
        services.checklist_save(actor=manager, customer_group=group, data=data)
    assert field in caught.value.message_dict
    assert not Checklist.objects.exists()


def test_the_whole_database_is_scored_chunk_by_chunk(territories, monkeypatch):
    monkeypatch.setattr(quality, "CHUNK", 3)
    companies = factories.CompanyFactory.create_batch(7, territory=territories["BY"])
    assert quality.refresh_all() == 7
    assert set(CompanyQuality.objects.values_list("company_id", flat=True)) == {
        company.pk for company in companies
    }


def test_an_import_scores_the_companies_it_wrote_and_those_of_its_people(territories, owner):
    from innendienst.core.events import Event
    from innendienst.qualification import handlers

    before = timezone.now()
    written = factories.CompanyFactory(territory=territories["BY"])
    known = factories.CompanyFactory(territory=territories["BY"])
    type(known).objects.filter(pk=known.pk).update(updated_at=before - timedelta(days=1))
    factories.PersonFactory(company=known)
    untouched = factories.CompanyFactory(territory=territories["BY"])
    type(untouched).objects.filter(pk=untouched.pk).update(updated_at=before - timedelta(days=1))
    handlers.records_imported(
        Event("import.finished", "imports.import", 1, owner.pk, {"since": before.isoformat()})
    )
    assert set(CompanyQuality.objects.values_list("company_id", flat=True)) == {
        written.pk,
        known.pk,
    }


def test_a_merge_gives_the_survivor_the_others_requalifications_and_scores_it_again(
    owner, company, territories, django_capture_on_commit_callbacks
):
    from innendienst.matching.merges import merge_undo, records_merge
    from innendienst.matching.models import RecordKind

    twin = factories.CompanyFactory(name="Müller Maschinenbau KG", territory=territories["BY"])
    factories.PersonFactory(company=twin, last_name="Berg")
    services.requalification_record(actor=owner, company=twin, note="bestätigt")
    quality.refresh([company.pk, twin.pk])
    assert "contact" in CompanyQuality.objects.get(company=company).missing
    with django_capture_on_commit_callbacks(execute=True):
        [merge] = records_merge(
            actor=owner, kind=RecordKind.COMPANY, survivor_id=company.pk, merged_ids=[twin.pk]
        )
    assert company.requalifications.get().note == "bestätigt"
    assert "contact" not in CompanyQuality.objects.get(company=company).missing
    assert not CompanyQuality.objects.filter(company_id=twin.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        merge_undo(actor=owner, merge=merge)
    assert twin.requalifications.get().note == "bestätigt"
    assert "contact" in CompanyQuality.objects.get(company=company).missing
    assert "contact" not in CompanyQuality.objects.get(company_id=twin.pk).missing


def test_a_score_is_no_use_of_its_company_so_an_import_can_still_be_undone(db):
    from innendienst.contacts.models import Company
    from innendienst.core import references

    assert (CompanyQuality, "company") in references.discovered(Company)
    assert (CompanyQuality, "company") not in references.uses(Company)


def test_a_merged_away_contact_leaves_his_company_scored_again(
    owner, company, territories, django_capture_on_commit_callbacks
):
    from innendienst.matching.merges import records_merge
    from innendienst.matching.models import RecordKind

    other = factories.CompanyFactory(name="Berger Metall GmbH", territory=territories["BY"])
    kept = factories.PersonFactory(company=company, first_name="Anna", last_name="Berger")
    gone = factories.PersonFactory(company=other, first_name="Anna", last_name="Berger")
    quality.refresh([company.pk, other.pk])
    assert "contact" not in CompanyQuality.objects.get(company=other).missing
    with django_capture_on_commit_callbacks(execute=True):
        records_merge(
            actor=owner, kind=RecordKind.PERSON, survivor_id=kept.pk, merged_ids=[gone.pk]
        )
    assert "contact" in CompanyQuality.objects.get(company=other).missing


def test_an_undone_import_leaves_the_companies_of_its_people_scored_again(owner, company):
    from innendienst.core.events import Event
    from innendienst.qualification import handlers

    quality.refresh([company.pk])
    CompanyQuality.objects.filter(company=company).update(score=99, missing=[])
    handlers.records_imported(
        Event(
            "import.undone",
            "imports.import",
            1,
            owner.pk,
            {
                "since": timezone.now().isoformat(),
                "pointed_at": {"contacts.company": [company.pk]},
            },
        )
    )
    assert CompanyQuality.objects.get(company=company).score != 99


def test_the_command_scores_every_company_or_one_groups_and_names_an_unknown_group(territories):
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    oem = factories.CustomerGroupFactory(code="OEM")
    in_group = factories.CompanyFactory(territory=territories["BY"], customer_group=oem)
    other = factories.CompanyFactory(territory=territories["BY"])
    out = io.StringIO()
    call_command("qualification", "score", "--group", "OEM", stdout=out)
    assert list(CompanyQuality.objects.values_list("company_id", flat=True)) == [in_group.pk]
    call_command("qualification", "score", stdout=out)
    assert CompanyQuality.objects.filter(company=other).exists()
    assert "2 Firmen bewertet." in out.getvalue()
    with pytest.raises(CommandError, match="XYZ"):
        call_command("qualification", "score", "--group", "XYZ")
