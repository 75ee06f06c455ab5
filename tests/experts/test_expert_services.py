"""The expert directory and the expert requests through their services and selectors: who
knows what, asking from the offer, answering once, withdrawing — and every bad input refused
at its field."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from innendienst.accounts.models import Role
from innendienst.contacts.models import Industry
from innendienst.core import events
from innendienst.core.models import AuditEntry
from innendienst.experts import selectors, services
from innendienst.experts.models import Expert, ExpertRequestStatus
from innendienst.offers import services as offer_services
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _errors(exc: pytest.ExceptionInfo) -> dict:
    return exc.value.message_dict


@pytest.fixture
def pumps(pump):
    """The pump's product group, as the catalogue names it."""
    group = pump.group
    group.code, group.name = "PU", "Pumpen"
    group.save()
    return group


@pytest.fixture
def product_manager(team_south):
    return factories.UserFactory(
        username="produkt", first_name="Markus", last_name="Weber",
        role=Role.PRODUCT_MANAGEMENT, team=team_south,
    )  # fmt: skip


@pytest.fixture
def engineer(team_south):
    """Application engineering: a field rep who knows the pumps."""
    return factories.UserFactory(
        username="technik", first_name="Max", last_name="Sommer", role=Role.FIELD_SALES,
        team=team_south,
    )  # fmt: skip


@pytest.fixture
def expert(product_manager, engineer, pumps):
    return services.expert_save(
        actor=product_manager,
        data={
            "user": engineer,
            "area": "Anwendungstechnik",
            "product_groups": [pumps],
            "topics": "Kreiselpumpen, Gleitringdichtungen",
        },
    )


@pytest.fixture
def line(offer, owner, pump):
    return offer_services.offer_line_add(
        actor=owner, offer=offer, data={"product": pump, "quantity": 40}
    )


def _ask(actor, offer, expert, **data):
    return services.expert_request_create(
        actor=actor,
        offer=offer,
        data={
            "expert": expert,
            "question": "Ist die KP 40 für 80 °C Wassertemperatur geeignet?",
            "due_on": TODAY() + datetime.timedelta(days=2),
            **data,
        },
    )


@pytest.fixture
def seen_events():
    seen: list[events.Event] = []

    def handler(event: events.Event) -> None:
        seen.append(event)

    for name in ("expert_request.created", "expert_request.answered"):
        events.subscribe(name, handler)
    yield seen
    for name in ("expert_request.created", "expert_request.answered"):
        events.unsubscribe(name, handler)


# --- the directory --------------------------------------------------------------------------


def test_it_finds_who_knows_pumps_by_product_group_topic_area_or_name(
    owner, product_manager, expert, pumps
):
    hydraulics = factories.ProductGroupFactory(code="HY", name="Hydraulik")
    chemistry = Industry.objects.create(code="CH", name="Chemie")
    seals = services.expert_save(
        actor=product_manager,
        data={
            "user": product_manager,
            "area": "Produktmanagement",
            "product_groups": [hydraulics],
            "industries": [chemistry],
            "topics": "Dosierpumpen, Ventile",
        },
    )
    nobody = factories.UserFactory(first_name="Eva", last_name="Roth")
    services.expert_save(
        actor=product_manager,
        data={"user": nobody, "area": "Vertriebsinnendienst", "topics": "Zolltarife"},
    )

    def found(query="", **filters):
        return [e.user.last_name for e in selectors.expert_search(owner, query, **filters)]

    # "Pumpen" is the engineer's product group and a word in the product manager's topics.
    assert found("Pumpen") == ["Sommer", "Weber"]
    assert found("pumpen anwendungstechnik") == ["Sommer"]
    assert found("Ventile") == ["Weber"]
    assert found("Sommer") == ["Sommer"]
    assert found("Chemie") == ["Weber"]
    assert found(product_group=pumps) == ["Sommer"]
    assert found(industry=chemistry) == ["Weber"]
    assert found("Pumpen", product_group=hydraulics) == ["Weber"]
    assert found("Turbinen") == []
    assert [e.user.last_name for e in selectors.expert_search(owner)] == [
        "Roth", "Sommer", "Weber",
    ]  # fmt: skip
    assert seals.topic_list == ["Dosierpumpen", "Ventile"]


def test_everybody_reads_the_directory_the_maintainers_also_its_inactive_entries(
    owner, outsider, product_manager, expert
):
    services.expert_save(actor=product_manager, expert=expert, data={"active": False})
    assert list(selectors.experts_for(outsider)) == []
    assert list(selectors.experts_for(product_manager)) == [expert]
    services.expert_save(actor=product_manager, expert=expert, data={"active": True})
    assert list(selectors.experts_for(outsider)) == [expert]
    assert list(selectors.experts_for(owner)) == [expert]


def test_only_product_management_and_the_managers_keep_the_directory(
    owner, manager, product_manager, engineer, expert, pumps
):
    with pytest.raises(PermissionDenied):
        services.expert_save(actor=owner, expert=expert, data={"area": "Vertrieb"})
    installation = factories.ProductGroupFactory(code="MO", name="Montage")
    services.expert_save(
        actor=manager,
        expert=expert,
        data={"area": "Anwendungstechnik Pumpen", "product_groups": [pumps, installation]},
    )
    expert.refresh_from_db()
    assert expert.area == "Anwendungstechnik Pumpen"
    assert set(expert.product_groups.all()) == {pumps, installation}
    history = AuditEntry.objects.filter(object_id=expert.pk, content_type__model="expert")
    assert history.filter(action="create").exists()
    assert history.get(field="area").new_value == "Anwendungstechnik Pumpen"
    groups = history.filter(field="product_groups").order_by("id").last()
    assert (groups.old_value, groups.new_value) == ("Pumpen", "Montage, Pumpen")


def test_a_colleague_has_one_entry_that_says_what_he_knows(product_manager, engineer, expert):
    with pytest.raises(ValidationError) as exc:
        services.expert_save(
            actor=product_manager, data={"user": engineer, "area": "Service", "topics": "Lager"}
        )
    assert set(_errors(exc)) == {"user"}
    other = factories.UserFactory()
    with pytest.raises(ValidationError) as exc:
        services.expert_save(
            actor=product_manager, data={"user": other, "area": "Service", "topics": " , "}
        )
    assert set(_errors(exc)) == {"topics"}
    tidy = services.expert_save(
        actor=product_manager,
        data={"user": other, "area": "Service", "topics": "Lager,  lager, Getriebe ,"},
    )
    assert tidy.topics == "Lager, Getriebe"
    assert Expert.objects.count() == 2


# --- asking from the offer ------------------------------------------------------------------


def test_it_asks_an_expert_from_the_offer_and_emits_the_event(
    owner, offer, line, expert, engineer, seen_events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = _ask(owner, offer, expert, line=line)
    assert (request.status, request.asked_by, request.line) == ("open", owner, line)
    assert AuditEntry.objects.filter(
        content_type__model="expertrequest", object_id=request.pk, action="create"
    ).exists()
    [event] = seen_events
    assert (event.name, event.object_id, event.actor_id) == (
        "expert_request.created", request.pk, owner.pk,
    )  # fmt: skip
    assert event.data["expert_user_id"] == engineer.pk
    assert event.data["offer_id"] == offer.pk


def test_a_due_date_in_the_past_and_a_missing_question_are_refused_at_their_fields(
    owner, offer, expert
):
    with pytest.raises(ValidationError) as exc:
        _ask(owner, offer, expert, due_on=TODAY() - datetime.timedelta(days=1), question="  ")
    assert set(_errors(exc)) == {"due_on", "question"}
    # Today is fine: the answer is needed by the end of the day.
    assert _ask(owner, offer, expert, due_on=TODAY()).due_on == TODAY()


def test_a_line_of_another_offer_is_refused(owner, offer, customer, line, expert, pump):
    other = offer_services.offer_create(actor=owner, company=customer, data={"subject": "Ersatz"})
    stray = offer_services.offer_line_add(
        actor=owner, offer=other, data={"product": pump, "quantity": 1}
    )
    with pytest.raises(ValidationError) as exc:
        _ask(owner, offer, expert, line=stray)
    assert set(_errors(exc)) == {"line"}
    assert not offer.expert_requests.exists()


def test_an_inactive_expert_or_oneself_cannot_be_asked(owner, offer, product_manager, expert):
    services.expert_save(actor=product_manager, expert=expert, data={"active": False})
    with pytest.raises(ValidationError) as exc:
        _ask(owner, offer, expert)
    assert set(_errors(exc)) == {"expert"}
    own = services.expert_save(
        actor=product_manager, data={"user": owner, "area": "Innendienst", "topics": "Preise"}
    )
    with pytest.raises(ValidationError) as exc:
        _ask(owner, offer, own)
    assert set(_errors(exc)) == {"expert"}


def test_only_who_sees_and_writes_the_offer_asks(owner, outsider, marketer, offer, expert):
    with pytest.raises(PermissionDenied):
        _ask(outsider, offer, expert)
    with pytest.raises(PermissionDenied):
        _ask(marketer, offer, expert)
    assert not offer.expert_requests.exists()


def test_a_decided_offer_asks_nobody(owner, offer, line, expert):
    offer_services.offer_lose(actor=owner, offer=offer, reason="price")
    offer.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        _ask(owner, offer, expert)
    assert exc.value.messages


# --- answering and withdrawing --------------------------------------------------------------


def test_only_the_expert_answers_and_only_once(
    owner, teammate, engineer, offer, expert, seen_events, django_capture_on_commit_callbacks
):
    request = _ask(owner, offer, expert)
    with pytest.raises(PermissionDenied):
        services.expert_request_answer(actor=teammate, expert_request=request, answer="Ja.")
    with pytest.raises(ValidationError) as exc:
        services.expert_request_answer(actor=engineer, expert_request=request, answer="   ")
    assert set(_errors(exc)) == {"answer"}
    with django_capture_on_commit_callbacks(execute=True):
        answered = services.expert_request_answer(
            actor=engineer, expert_request=request, answer="Ja, bis 90 °C freigegeben."
        )
    assert answered.status == ExpertRequestStatus.ANSWERED
    assert answered.answered_at is not None
    assert [event.name for event in seen_events] == ["expert_request.answered"]
    with pytest.raises(ValidationError) as exc:
        services.expert_request_answer(actor=engineer, expert_request=request, answer="Nein.")
    assert set(_errors(exc)) == {"answer"}
    request.refresh_from_db()
    assert request.answer == "Ja, bis 90 °C freigegeben."
    assert AuditEntry.objects.get(object_id=request.pk, field="status").new_value == "answered"


def test_the_asker_or_a_manager_withdraws_an_open_request(
    owner, teammate, manager, engineer, offer, expert
):
    mine = _ask(owner, offer, expert)
    with pytest.raises(PermissionDenied):
        services.expert_request_withdraw(actor=teammate, expert_request=mine)
    services.expert_request_withdraw(actor=owner, expert_request=mine)
    mine.refresh_from_db()
    assert mine.status == ExpertRequestStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        services.expert_request_answer(actor=engineer, expert_request=mine, answer="Ja.")
    other = _ask(teammate, offer, expert)
    services.expert_request_withdraw(actor=manager, expert_request=other)
    answered = _ask(owner, offer, expert)
    services.expert_request_answer(actor=engineer, expert_request=answered, answer="Ja.")
    with pytest.raises(ValidationError):
        services.expert_request_withdraw(actor=owner, expert_request=answered)


# --- reading --------------------------------------------------------------------------------


def test_it_suggests_the_experts_of_the_offers_product_groups_best_first(
    owner, product_manager, offer, line, pumps, installation, expert
):
    mounting = installation.group
    offer_services.offer_line_add(
        actor=owner, offer=offer, data={"product": installation, "quantity": 8}
    )
    both = services.expert_save(
        actor=product_manager,
        data={
            "user": factories.UserFactory(last_name="Beide"),
            "area": "Produktmanagement",
            "product_groups": [pumps, mounting],
        },
    )
    industry = Industry.objects.create(code="MB", name="Maschinenbau")
    offer.company.industry = industry
    offer.company.save(update_fields=["industry"])
    also_industry = services.expert_save(
        actor=product_manager,
        data={
            "user": factories.UserFactory(last_name="Branche"),
            "area": "Anwendungstechnik",
            "product_groups": [pumps],
            "industries": [industry],
        },
    )
    services.expert_save(
        actor=product_manager,
        data={
            "user": factories.UserFactory(last_name="Fremd"),
            "area": "Service",
            "product_groups": [factories.ProductGroupFactory(code="EL", name="Elektro")],
        },
    )
    offer.refresh_from_db()
    suggested = selectors.suggested_experts(owner, offer)
    assert suggested == [both, also_industry, expert]
    assert [group.name for group in suggested[0].matching_groups] == sorted(
        ["Pumpen", mounting.name]
    )


def test_the_experts_list_has_the_open_requests_first_by_due_date(owner, engineer, offer, expert):
    later = _ask(owner, offer, expert, due_on=TODAY() + datetime.timedelta(days=5))
    sooner = _ask(owner, offer, expert, due_on=TODAY() + datetime.timedelta(days=1))
    done = _ask(owner, offer, expert, due_on=TODAY())
    services.expert_request_answer(actor=engineer, expert_request=done, answer="Erledigt.")
    assert list(selectors.requests_for_expert(engineer)) == [sooner, later, done]
    assert list(selectors.requests_for_expert(owner)) == []
    assert selectors.open_requests_for_expert(engineer, 1) == [sooner, later]


def test_an_outsider_sees_no_request_of_an_offer_he_does_not_see(
    owner, outsider, engineer, offer, expert
):
    request = _ask(owner, offer, expert)
    assert selectors.requests_of_offer(owner, offer) == [request]
    assert selectors.requests_of_offer(outsider, offer) == []
    with pytest.raises(request.DoesNotExist):
        selectors.expert_request_get(outsider, request.pk)
    # The expert sees what he is asked, wherever the customer is.
    assert selectors.expert_request_get(engineer, request.pk) == request
