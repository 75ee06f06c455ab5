"""The expert pages as the inside rep, the engineer and product management use them: the
directory searched for who knows pumps, an expert asked from the offer with the suggested one
preselected, the engineer's answer in his list and on the offer, his "Mein Tag" — and every
bad input answered at its field."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from innendienst.accounts.models import Role
from innendienst.experts import panels, services
from innendienst.experts.models import Expert, ExpertRequest, ExpertRequestStatus
from innendienst.offers import services as offer_services
from tests import factories

pytestmark = pytest.mark.django_db

# Session and user, the experts with their open requests, their product groups, their
# industries, and the choices of the two filters.
DIRECTORY_QUERIES = 7


@pytest.fixture
def pumps(pump):
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


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _asked(owner, offer, expert, **data) -> ExpertRequest:
    return services.expert_request_create(
        actor=owner,
        offer=offer,
        data={
            "expert": expert,
            "question": "Ist die KP 40 für 80 °C Wassertemperatur geeignet?",
            "due_on": timezone.localdate() + datetime.timedelta(days=2),
            **data,
        },
    )


def _request_on(page: str, request: ExpertRequest) -> str:
    """The request's entry on the offer's page."""
    start = page.index(f'id="expert-request-{request.pk}"')
    return page[start : page.index("</li>", start)]


def _form(expert, **data) -> dict[str, str]:
    return {
        "expert": str(expert.pk),
        "question": "Welche Gleitringdichtung für Glykol?",
        "due_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
        **data,
    }


# --- the directory --------------------------------------------------------------------------


def test_it_finds_who_knows_pumps_in_the_directory(
    owner, outsider, product_manager, expert, offer, pumps
):
    services.expert_save(
        actor=product_manager,
        data={"user": product_manager, "area": "Produktmanagement", "topics": "Zolltarife"},
    )
    _asked(offer.owner, offer, expert)
    client = _client(owner)
    page = client.get(reverse("expert_index"), {"q": "Pumpen"}).content.decode()
    assert "Max Sommer" in page
    assert "Kreiselpumpen, Gleitringdichtungen" in page
    assert "Markus Weber" not in page
    row = page[page.index("Max Sommer") :]
    assert '<td class="num">1</td>' in row[: row.index("</tr>")]  # his open request
    by_group = client.get(reverse("expert_index"), {"product_group": pumps.pk}).content.decode()
    assert "Max Sommer" in by_group
    assert "Markus Weber" not in by_group
    # Who knows what is no company data: the other team's rep finds him too, without the
    # maintainers' buttons.
    page = _client(outsider).get(reverse("expert_index"), {"q": "pumpen"}).content.decode()
    assert "Max Sommer" in page
    assert reverse("expert_edit", args=[expert.pk]) not in page


def test_the_directory_reads_the_same_for_any_number_of_experts(
    owner, product_manager, pumps, django_assert_num_queries
):
    client = _client(owner)
    for number in range(6):
        services.expert_save(
            actor=product_manager,
            data={
                "user": factories.UserFactory(),
                "area": f"Anwendungstechnik {number}",
                "product_groups": [pumps],
                "topics": "Pumpen",
            },
        )
        with django_assert_num_queries(DIRECTORY_QUERIES):
            client.get(reverse("expert_index"), {"q": "Pumpen"})


def test_product_management_adds_and_edits_an_entry(owner, product_manager, engineer, pumps):
    assert _client(owner).get(reverse("expert_create")).status_code == 403
    client = _client(product_manager)
    response = client.post(
        reverse("expert_create"), {"user": engineer.pk, "area": "", "topics": "Pumpen"}
    )
    assert response.status_code == 422
    assert 'id="id_area_error"' in response.content.decode()
    response = client.post(
        reverse("expert_create"),
        {
            "user": engineer.pk,
            "area": "Anwendungstechnik",
            "product_groups": [pumps.pk],
            "topics": "Kreiselpumpen",
            "active": "on",
        },
    )
    assert response["Location"] == reverse("expert_index")
    expert = Expert.objects.get()
    assert list(expert.product_groups.all()) == [pumps]
    edit = client.get(reverse("expert_edit", args=[expert.pk]))
    assert edit.context["form"].initial["product_groups"] == [pumps.pk]
    response = client.post(
        reverse("expert_edit", args=[expert.pk]),
        {"user": engineer.pk, "area": "Anwendungstechnik", "topics": "Kreiselpumpen"},
    )
    assert response.status_code == 302
    expert.refresh_from_db()
    assert (expert.active, list(expert.product_groups.all())) == (False, [])
    assert _client(owner).get(reverse("expert_edit", args=[expert.pk])).status_code == 403


# --- asking from the offer ------------------------------------------------------------------


def test_it_asks_the_suggested_expert_from_the_offer_and_the_offer_shows_the_request(
    owner, offer, line, expert
):
    client = _client(owner)
    new = reverse("expert_request_new", args=[offer.pk])
    assert new in client.get(reverse("offer_detail", args=[offer.pk])).content.decode()
    form_page = client.get(new)
    assert form_page.context["form"].initial["expert"] == expert.pk
    assert [e.pk for e in form_page.context["suggested"]] == [expert.pk]
    assert offer.number in form_page.content.decode()
    response = client.post(
        reverse("expert_request_create", args=[offer.pk]), _form(expert, line=str(line.pk))
    )
    assert response["Location"] == reverse("offer_detail", args=[offer.pk])
    request = ExpertRequest.objects.get()
    assert (request.line, request.asked_by, request.status) == (line, owner, "open")
    page = client.get(response["Location"]).content.decode()
    assert "Welche Gleitringdichtung für Glykol?" in _request_on(page, request)
    shown = _request_on(page, request)
    assert '<span class="badge warn">' in shown  # open
    assert "Max Sommer" in shown
    assert "Kreiselpumpe KP 40" in shown  # the line it is about
    assert timezone.localdate().strftime("%d.%m.%Y") in shown


def test_the_new_request_page_takes_the_post_too(owner, offer, expert):
    response = _client(owner).post(reverse("expert_request_new", args=[offer.pk]), _form(expert))
    assert response.status_code == 302
    assert ExpertRequest.objects.filter(offer=offer).count() == 1


def test_a_due_date_in_the_past_is_shown_at_its_field(owner, offer, expert):
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = _client(owner).post(
        reverse("expert_request_create", args=[offer.pk]), _form(expert, due_on=yesterday)
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_due_on_error"' in page
    assert "Welche Gleitringdichtung für Glykol?" in page  # nothing typed is lost
    assert not ExpertRequest.objects.exists()


def test_a_line_of_another_offer_is_refused_at_its_field(owner, offer, customer, expert, pump):
    other = offer_services.offer_create(actor=owner, company=customer, data={"subject": "Ersatz"})
    stray = offer_services.offer_line_add(
        actor=owner, offer=other, data={"product": pump, "quantity": 1}
    )
    response = _client(owner).post(
        reverse("expert_request_create", args=[offer.pk]), _form(expert, line=str(stray.pk))
    )
    assert response.status_code == 422
    assert 'id="id_line_error"' in response.content.decode()
    assert not ExpertRequest.objects.exists()


def test_an_outsider_gets_404_for_the_requests_of_another_teams_offer(
    owner, outsider, offer, expert
):
    request = _asked(owner, offer, expert)
    client = _client(outsider)
    assert client.get(reverse("expert_request_new", args=[offer.pk])).status_code == 404
    response = client.post(reverse("expert_request_create", args=[offer.pk]), _form(expert))
    assert response.status_code == 404
    withdraw = reverse("expert_request_withdraw", args=[request.pk])
    assert client.post(withdraw).status_code == 404
    assert ExpertRequest.objects.get().status == ExpertRequestStatus.OPEN


# --- answering ------------------------------------------------------------------------------


def test_the_engineer_answers_in_his_list_and_the_offer_shows_the_answer(
    owner, engineer, offer, line, expert
):
    request = _asked(owner, offer, expert, line=line)
    client = _client(engineer)
    mine = client.get(reverse("expert_requests")).content.decode()
    assert "Ist die KP 40 für 80 °C Wassertemperatur geeignet?" in mine
    assert reverse("expert_request_answer", args=[request.pk]) in mine
    answer = reverse("expert_request_answer", args=[request.pk])
    empty = client.post(answer, {"answer": " "})
    assert empty.status_code == 422
    assert f'id="id_answer_{request.pk}_answer_error"' in empty.content.decode()
    response = client.post(answer, {"answer": "Ja, bis 90 °C im Dauerbetrieb freigegeben."})
    assert response["Location"] == reverse("expert_requests")
    request.refresh_from_db()
    assert request.status == ExpertRequestStatus.ANSWERED
    page = _client(owner).get(reverse("offer_detail", args=[offer.pk])).content.decode()
    shown = _request_on(page, request)
    assert "Ja, bis 90 °C im Dauerbetrieb freigegeben." in shown
    assert '<span class="badge ok">' in shown  # answered
    # Answered once: a second answer changes nothing.
    client.post(answer, {"answer": "Doch nicht."})
    request.refresh_from_db()
    assert request.answer == "Ja, bis 90 °C im Dauerbetrieb freigegeben."


def test_only_the_expert_answers(owner, teammate, product_manager, offer, expert):
    request = _asked(owner, offer, expert)
    answer = reverse("expert_request_answer", args=[request.pk])
    assert _client(teammate).post(answer, {"answer": "Ja."}).status_code == 403
    # Another expert of the directory does not answer for him either.
    services.expert_save(
        actor=product_manager,
        data={"user": product_manager, "area": "Produktmanagement", "topics": "Pumpen"},
    )
    assert _client(product_manager).post(answer, {"answer": "Ja."}).status_code == 403
    request.refresh_from_db()
    assert (request.status, request.answer) == (ExpertRequestStatus.OPEN, "")


def test_the_asker_withdraws_his_request_from_the_offer(owner, teammate, offer, expert):
    request = _asked(owner, offer, expert)
    withdraw = reverse("expert_request_withdraw", args=[request.pk])
    page = _client(owner).get(reverse("offer_detail", args=[offer.pk])).content.decode()
    assert withdraw in page
    other_page = _client(teammate).get(reverse("offer_detail", args=[offer.pk]))
    assert withdraw not in other_page.content.decode()
    assert _client(teammate).post(withdraw).status_code == 404
    response = _client(owner).post(withdraw)
    assert response["Location"] == reverse("offer_detail", args=[offer.pk])
    request.refresh_from_db()
    assert request.status == ExpertRequestStatus.WITHDRAWN


# --- "Mein Tag" and the costs of the plug-ins -----------------------------------------------


def test_my_day_shows_the_section_only_to_an_expert_with_open_requests(
    owner, engineer, offer, expert
):
    engineer_client = _client(engineer)
    assert 'id="my-expert-requests"' not in engineer_client.get(reverse("my_day")).content.decode()
    request = _asked(owner, offer, expert)
    page = engineer_client.get(reverse("my_day")).content.decode()
    assert 'id="my-expert-requests"' in page
    assert offer.number in page
    assert 'id="my-expert-requests"' not in _client(owner).get(reverse("my_day")).content.decode()
    services.expert_request_answer(actor=engineer, expert_request=request, answer="Ja.")
    assert 'id="my-expert-requests"' not in engineer_client.get(reverse("my_day")).content.decode()


def test_the_section_and_the_offer_panel_cost_one_query_each(
    owner, engineer, offer, line, expert, django_assert_num_queries
):
    today = timezone.localdate()
    with django_assert_num_queries(1):
        assert panels.my_requests(owner, today) is None
    for _ in range(3):
        _asked(owner, offer, expert, line=line)
    with django_assert_num_queries(1):
        section = panels.my_requests(engineer, today)
    assert len(section["waiting_requests"]) == 3
    with django_assert_num_queries(1):
        shown = panels.offer_requests(owner, offer)
        assert [r.expert.user.last_name for r, _due, _withdraw in shown["expert_requests"]] == [
            "Sommer"
        ] * 3
        assert {r.line.description for r, _due, _withdraw in shown["expert_requests"]} == {
            line.description
        }
