"""activities call guides: versions per campaign, and the answers of a call written back into
the CRM through the services — or, when one is wrong, nothing written at all."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innendienst.accounts.models import Role
from innendienst.activities import guide as guide_kinds
from innendienst.activities import selectors, services
from innendienst.activities.models import Activity, ActivityType, CallGuide, CallOutcome
from innendienst.campaigns import services as campaign_services
from innendienst.contacts.models import BuyingCenterMembership, BuyingCenterRole, Person
from innendienst.contacts.selectors import company_filter
from innendienst.core.models import AuditEntry
from innendienst.leads.models import Lead, LeadSource
from tests import factories

pytestmark = pytest.mark.django_db

QUESTIONS = [
    {"text": "Welche Rolle haben Sie bei der Beschaffung?", "kind": "buying_center_role"},
    {"text": "Wer entscheidet über die Beschaffung?", "kind": "decider"},
    {"text": "Wann am besten erreichbar?", "kind": "best_time_to_reach"},
    {"text": "Aktueller Bedarf?", "kind": "lead_need"},
    {"text": "Wie viele Pumpen im Einsatz?", "kind": "number"},
    {"text": "Rahmenvertrag vorhanden?", "kind": "yes_no"},
]
TEXTS = {
    "goal": "Termin für den Außendienst",
    "opener": "Guten Tag, hier ist Lena Hoffmann von der Pumpen AG …",
    "hook": "Wartungskosten um ein Drittel senken",
    "close": "Passt Ihnen Dienstag oder Donnerstag?",
    "gatekeeper": "Nach dem Verantwortlichen für die Instandhaltung fragen",
    "not_reached": "Am nächsten Vormittag noch einmal",
}


@pytest.fixture
def campaign(owner):
    return campaign_services.campaign_create(
        actor=owner, data={"name": "Reaktivierung C-Kunden Q1", "team": owner.team}
    )


@pytest.fixture
def call_guide(owner, campaign):
    guide, _created = services.call_guide_save(
        actor=owner, campaign=campaign, data=TEXTS, questions=QUESTIONS
    )
    return guide


@pytest.fixture
def contact(company):
    return factories.PersonFactory(company=company, last_name="Berger", phone="+49 89 222")


@pytest.fixture
def colleague(company):
    return factories.PersonFactory(company=company, first_name="Karl", last_name="Brandt")


@pytest.fixture
def entry(owner, campaign, contact):
    people = selectors.call_candidates(owner, company_filter(owner, {}).matches()).people
    call_list = services.call_list_create(
        actor=owner, name="Reaktivierung", team=owner.team, people=people, campaign=campaign
    )
    handed = services.call_list_next(actor=owner, call_list=call_list)
    assert handed is not None
    assert handed.person == contact
    return handed


def _ids(guide: CallGuide) -> dict[str, str]:
    return {question.kind: str(question.pk) for question in guide.questions.all()}


def _save(user, entry, call_guide, answers, outcome=CallOutcome.REACHED, **fields):
    return services.call_outcome_record(
        actor=user,
        entry_id=entry.pk,
        reservation=entry.reservation,
        outcome=outcome,
        guide_id=call_guide.pk,
        answers=answers,
        **fields,
    )


def test_it_saves_the_first_version_with_its_questions_in_order(owner, call_guide):
    assert call_guide.version == 1
    assert [q.text for q in call_guide.questions.all()] == [q["text"] for q in QUESTIONS]
    assert call_guide.goal == "Termin für den Außendienst"
    assert AuditEntry.objects.filter(object_id=call_guide.pk, action="create").exists()


def test_it_writes_a_new_version_for_a_change_and_keeps_the_old(owner, campaign, call_guide):
    changed, created = services.call_guide_save(
        actor=owner,
        campaign=campaign,
        data={**TEXTS, "hook": "Stillstand vermeiden"},
        questions=QUESTIONS[:2],
    )
    assert created
    assert changed.version == 2
    assert selectors.call_guide_current(campaign.pk) == changed
    old = selectors.call_guide_version(campaign.pk, 1)
    assert old.hook == "Wartungskosten um ein Drittel senken"
    assert old.questions.count() == len(QUESTIONS)


def test_it_writes_no_version_when_nothing_changed(owner, campaign, call_guide):
    same, created = services.call_guide_save(
        actor=owner, campaign=campaign, data=TEXTS, questions=[*QUESTIONS, {"text": "", "kind": ""}]
    )
    assert not created
    assert same == call_guide
    assert CallGuide.objects.count() == 1


def test_it_names_the_row_of_a_question_without_text_or_answer(owner, campaign):
    with pytest.raises(ValidationError) as error:
        services.call_guide_save(
            actor=owner,
            campaign=campaign,
            data=TEXTS,
            questions=[
                QUESTIONS[0],
                {"text": "", "kind": "number"},
                {"text": "Budget?", "kind": "salary"},
            ],
        )
    assert error.value.message_dict == {
        "questions-1-text": ["Bitte schreiben Sie die Frage."],
        "questions-2-kind": ["Bitte wählen Sie, was die Antwort ist."],
    }
    assert not CallGuide.objects.exists()


def test_it_refuses_an_empty_guide(owner, campaign):
    with pytest.raises(ValidationError):
        services.call_guide_save(actor=owner, campaign=campaign, data={}, questions=[])


def test_it_refuses_a_guide_for_a_campaign_the_writer_does_not_see(outsider, campaign):
    with pytest.raises(PermissionDenied):
        services.call_guide_save(actor=outsider, campaign=campaign, data=TEXTS, questions=[])


def test_it_writes_the_answers_back_into_the_crm(owner, entry, call_guide, contact, colleague):
    ids = _ids(call_guide)
    saved = _save(
        owner,
        entry,
        call_guide,
        {
            ids["buying_center_role"]: BuyingCenterRole.USER,
            ids["decider"]: str(colleague.pk),
            ids["best_time_to_reach"]: "dienstags ab 10 Uhr",
            ids["lead_need"]: "Zwei Umwälzpumpen bis März",
            ids["number"]: "12,5",
            ids["yes_no"]: "false",
        },
    )

    contact.refresh_from_db()
    assert contact.best_time_to_reach == "dienstags ab 10 Uhr"
    roles = set(BuyingCenterMembership.objects.values_list("person__last_name", "role"))
    assert roles == {("Berger", BuyingCenterRole.USER), ("Brandt", BuyingCenterRole.DECIDER)}
    lead = Lead.objects.get()
    assert (lead.person, lead.source, lead.source_name, lead.need) == (
        contact,
        LeadSource.CAMPAIGN,
        "Reaktivierung C-Kunden Q1",
        "Zwei Umwälzpumpen bis März",
    )
    # Audited like a change on the contact's page.
    assert AuditEntry.objects.filter(object_id=contact.pk, field="best_time_to_reach").exists()
    assert saved.call.notes.splitlines() == [
        "Welche Rolle haben Sie bei der Beschaffung? Anwender",
        "Wer entscheidet über die Beschaffung? Karl Brandt",
        "Wann am besten erreichbar? dienstags ab 10 Uhr",
        "Aktueller Bedarf? Zwei Umwälzpumpen bis März",
        "Wie viele Pumpen im Einsatz? 12,5",
        "Rahmenvertrag vorhanden? nein",
    ]


def test_it_writes_nothing_when_one_answer_has_the_wrong_type(owner, entry, call_guide, contact):
    ids = _ids(call_guide)
    with pytest.raises(ValidationError) as error:
        _save(
            owner,
            entry,
            call_guide,
            {
                ids["best_time_to_reach"]: "vormittags",
                ids["number"]: "zwölf",
            },
        )
    assert error.value.message_dict == {f"answer_{ids['number']}": ["Bitte eine Zahl eingeben."]}
    contact.refresh_from_db()
    assert contact.best_time_to_reach == ""
    assert not Activity.objects.filter(kind=ActivityType.CALL).exists()
    entry.refresh_from_db()
    assert entry.reservation is not None  # still hers: she corrects and saves again


def test_it_refuses_a_decider_who_is_not_at_the_company(owner, entry, call_guide, territories):
    elsewhere = factories.PersonFactory(
        company=factories.CompanyFactory(territory=territories["BY"]), last_name="Fremd"
    )
    ids = _ids(call_guide)
    with pytest.raises(ValidationError) as error:
        _save(owner, entry, call_guide, {ids["decider"]: str(elsewhere.pk)})
    assert list(error.value.message_dict) == [f"answer_{ids['decider']}"]
    assert not BuyingCenterMembership.objects.exists()


def test_it_refuses_answers_to_a_question_of_another_guide(owner, entry, call_guide):
    with pytest.raises(ValidationError) as error:
        _save(owner, entry, call_guide, {"999999": "ja"})
    assert list(error.value.message_dict) == ["answers"]


def test_it_refuses_answers_without_the_lists_guide(owner, entry, call_guide):
    ids = _ids(call_guide)
    with pytest.raises(ValidationError) as error:
        services.call_outcome_record(
            actor=owner,
            entry_id=entry.pk,
            reservation=entry.reservation,
            outcome=CallOutcome.REACHED,
            guide_id=None,
            answers={ids["number"]: "3"},
        )
    assert list(error.value.message_dict) == ["answers"]


def test_it_undoes_the_call_when_a_write_back_is_refused(owner, entry, call_guide, campaign):
    """A kind whose owner refuses the answer: the call, and the answers written before it,
    are not saved; the message names the question."""

    def refuse(_answered, _value):
        raise ValidationError({"need": "Dieser Bedarf ist gesperrt."})

    guide_kinds.register_answer_kind(
        guide_kinds.AnswerKind("refused", "refused", guide_kinds._text, refuse)
    )
    try:
        refusing, _created = services.call_guide_save(
            actor=owner,
            campaign=campaign,
            data=TEXTS,
            questions=[*QUESTIONS, {"text": "Gesperrt?", "kind": "refused"}],
        )
        ids = _ids(refusing)
        with pytest.raises(ValidationError) as error:
            _save(
                owner, entry, refusing, {ids["best_time_to_reach"]: "abends", ids["refused"]: "x"}
            )
        assert error.value.message_dict == {
            f"answer_{ids['refused']}": ["Dieser Bedarf ist gesperrt."]
        }
    finally:
        guide_kinds._kinds.pop("refused")
    entry.person.refresh_from_db()
    assert entry.person.best_time_to_reach == ""
    assert not Activity.objects.exists()


def test_it_keeps_in_the_notes_what_the_callers_role_may_not_write(team_south, entry, call_guide):
    product_manager = factories.UserFactory(role=Role.PRODUCT_MANAGEMENT, team=team_south)
    entry.reserved_by = product_manager
    entry.save()
    ids = _ids(call_guide)
    saved = _save(product_manager, entry, call_guide, {ids["best_time_to_reach"]: "abends"})
    entry.person.refresh_from_db()
    assert entry.person.best_time_to_reach == ""
    assert "Wann am besten erreichbar? abends" in saved.call.notes


def test_it_leaves_out_an_answer_of_blanks_and_refuses_a_yes_no_of_other_words(
    owner, entry, call_guide
):
    ids = _ids(call_guide)
    with pytest.raises(ValidationError) as error:
        _save(owner, entry, call_guide, {ids["number"]: "  ", ids["yes_no"]: "ja"})
    assert error.value.message_dict == {
        f"answer_{ids['yes_no']}": ["Bitte mit ja oder nein antworten."]
    }
    saved = _save(owner, entry, call_guide, {ids["number"]: "  ", ids["yes_no"]: True})
    assert saved.call.notes == "Rahmenvertrag vorhanden? ja"


def test_it_refuses_answers_to_the_guide_of_another_campaign(owner, entry, call_guide):
    other = campaign_services.campaign_create(actor=owner, data={"name": "Messe-Nachfassen"})
    foreign, _created = services.call_guide_save(
        actor=owner, campaign=other, data=TEXTS, questions=QUESTIONS
    )
    with pytest.raises(ValidationError) as error:
        _save(owner, entry, foreign, {_ids(foreign)["number"]: "3"})
    assert list(error.value.message_dict) == ["answers"]


def test_it_shows_the_guide_only_to_who_sees_the_campaign(
    owner, entry, call_guide, campaign, team_north
):
    assert selectors.call_guide_for(owner, entry) == call_guide
    campaign.team, campaign.created_by, campaign.owner = team_north, None, None
    campaign.save()
    assert selectors.call_guide_for(owner, entry) is None


def test_it_refuses_a_list_for_a_campaign_the_maker_does_not_see(owner, outsider, campaign):
    with pytest.raises(ValidationError) as error:
        services.call_list_create(
            actor=outsider, name="Nord", people=Person.objects.none(), campaign=campaign
        )
    assert list(error.value.message_dict) == ["campaign"]
