"""Shared fixtures: one territory tree, the three users every view is tested with, and the
records of their company.

- owner: the inside rep responsible for ``company`` (team "Süd", territory Bayern)
- teammate: another inside rep of the same team; sees the company through the team
- outsider: an inside rep of team "Nord"; must not see the company at all

The tests grow per app and per view: ``web/`` has one file per page (and the access matrix of
every page, read from the URL resolver), ``api/`` one file per endpoint group (and the access
matrix of every operation, read from the OpenAPI schema), ``services/`` and ``selectors/`` one
file per app, ``core/`` the normalisation, platform and catalogue checks. ``matrix.py`` says
which record fills which path parameter; ``volume.py`` builds the rows of the query-count tests.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from innendienst.accounts.models import Role
from innendienst.activities.models import ActivityType
from innendienst.campaigns.models import Campaign
from innendienst.core.models import ExternalKey
from innendienst.exports.models import Export, ExportStatus
from innendienst.imports.models import Import, ImportStatus
from innendienst.offers import documents as offer_documents
from innendienst.offers import selectors as offer_selectors
from innendienst.offers.models import Offer
from tests import factories

pytest_plugins = ["tests.offers.fixtures"]


@pytest.fixture
def territories(db):
    germany = factories.TerritoryFactory(code="DE", name="Deutschland", country="DE")
    bavaria = factories.TerritoryFactory(code="DE-BY", name="Bayern", parent=germany)
    north = factories.TerritoryFactory(code="DE-NORD", name="Nord", parent=germany)
    return {"DE": germany, "BY": bavaria, "NORD": north}


@pytest.fixture
def team_south(territories):
    return factories.TeamFactory(name="Innendienst Süd", territories=[territories["BY"]])


@pytest.fixture
def team_north(territories):
    return factories.TeamFactory(name="Innendienst Nord", territories=[territories["NORD"]])


@pytest.fixture
def owner(team_south):
    return factories.UserFactory(
        username="owner", first_name="Lena", last_name="Hoffmann", team=team_south
    )


@pytest.fixture
def teammate(team_south):
    return factories.UserFactory(
        username="teammate", first_name="Jonas", last_name="Keller", team=team_south
    )


@pytest.fixture
def outsider(team_north):
    return factories.UserFactory(
        username="outsider", first_name="Frieda", last_name="Nordmann", team=team_north
    )


@pytest.fixture
def admin_user(db):
    return factories.UserFactory(
        username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True
    )


@pytest.fixture
def company(territories, owner):
    return factories.CompanyFactory(
        name="Müller Maschinenbau GmbH & Co. KG",
        legal_form="gmbh_co_kg",
        territory=territories["BY"],
        inside_rep=owner,
    )


@pytest.fixture
def person(company):
    return factories.PersonFactory(company=company, first_name="Anna", last_name="Berger")


# --- further records of the company, as the owner sees them ---------------------------------


@pytest.fixture
def north_company(territories, outsider):
    """The outsider's company in territory Nord: the owner and the teammate must not see it."""
    return factories.CompanyFactory(
        name="Nordlicht Hydraulik GmbH",
        territory=territories["NORD"],
        inside_rep=outsider,
        postcode="20095",
        city="Hamburg",
        phone="+49 40 1234567",
    )


@pytest.fixture
def call(company, person, owner):
    """A call the owner logged with Anna Berger two days ago."""
    return factories.ActivityFactory(
        company=company, person=person, created_by=owner, subject="Bedarf Hydraulik"
    )


@pytest.fixture
def task(company, owner):
    """An open follow-up of the owner, due in three days."""
    return factories.ActivityFactory(
        company=company,
        kind=ActivityType.TASK,
        outcome="",
        occurred_at=None,
        due_at=timezone.now() + datetime.timedelta(days=3),
        done=False,
        assigned_to=owner,
        created_by=owner,
        subject="Angebot nachfassen",
    )


@pytest.fixture
def marketer(team_south):
    """Marketing in the owner's team: reads the company, sees people only with consent."""
    return factories.UserFactory(username="marketer", role=Role.MARKETING, team=team_south)


@pytest.fixture
def records(company, person, call, task, owner):
    """One record of every kind a page or endpoint of the company shows, each with something
    to show: the access matrices fill path parameters from here."""
    from innendienst.accounts.services import api_token_create
    from innendienst.activities.models import CallList
    from innendienst.automation.models import EventSource, Rule, Webhook, WebhookDelivery
    from innendienst.catalog.models import PriceList
    from innendienst.experts.models import Expert, ExpertRequest
    from innendienst.leads.services import lead_capture
    from innendienst.matching.merges import records_merge
    from innendienst.matching.models import DuplicatePair, RecordKind

    factories.BuyingCenterMembershipFactory(person=person, role="decider")
    factories.ConsentFactory(person=person)
    factories.OrderLineFactory(order__company=company)
    ExternalKey.objects.create(record=company, source="SAP", key="100042")
    ExternalKey.objects.create(record=person, source="Schober", key="P-9")
    address = company.addresses.create(
        kind="delivery", street="Lagerweg 1", postcode="85748", city="Garching", country="DE"
    )
    token, _key = api_token_create(actor=owner, name="ERP-Schnittstelle")
    finished_import = Import.objects.create(
        target="people",
        file="imports/messe.csv",
        file_name="messe-logimat.csv",
        file_sha256="0" * 64,
        file_size=120,
        headers=["Firma", "E-Mail"],
        total_rows=2,
        rows=2,
        counts={"new": 1, "error": 1},
        status=ImportStatus.DONE,
        created_by=owner,
    )
    finished_import.import_rows.create(
        number=3, outcome="error", errors={"email": ["keine gültige Adresse"]}, cells=["X", "x@"]
    )
    written_export = Export(
        kind="companies",
        format="xlsx",
        status=ExportStatus.DONE,
        total_rows=1,
        rows=1,
        file_name="firmen-2026-11-30.xlsx",
        created_by=owner,
    )
    written_export.file.save("firmen.xlsx", ContentFile(b"PK\x03\x04"), save=False)
    written_export.save()
    twin = factories.CompanyFactory(
        name="Mueller Maschinenbau KG", territory=company.territory, customer_number=None
    )
    pair = DuplicatePair.objects.create(
        kind=RecordKind.COMPANY, left_id=company.pk, right_id=twin.pk, score=0.96,
        cluster=company.pk, reasons=[["name", "exact", 12.0]],
    )  # fmt: skip
    gone = factories.CompanyFactory(
        name="Müller Maschinenbau (alt)", territory=company.territory, customer_number=None
    )
    [merge] = records_merge(
        actor=owner, kind=RecordKind.COMPANY, survivor_id=company.pk, merged_ids=[gone.pk]
    )
    lead, _created = lead_capture(
        actor=owner,
        company=company,
        data={"person_id": person.pk, "source": "trade_fair", "source_name": "LogiMAT 2027"},
    )
    # Automation is configured by management and administrators: the matrix's reps get 403.
    source = EventSource.objects.create(name="Newsletter", key="newsletter")
    webhook = Webhook.objects.create(
        name="Marketing-Tool", url="https://example.com/hook", events=["lead.captured"]
    )
    delivery = WebhookDelivery.objects.create(webhook=webhook, event="lead.captured", payload={})
    rule = Rule.objects.create(
        name="Messe-Lead an den Außendienst",
        trigger="lead.captured",
        actions=[{"kind": "task", "assignee": "field_rep", "subject": "Besuch", "due_days": 2}],
    )
    campaign = Campaign.objects.create(
        name="Reaktivierung Q1", team=owner.team, owner=owner, created_by=owner
    )
    phase = campaign.phases.create(
        name="Anrufwochen",
        owner=owner,
        starts_on=datetime.date(2027, 1, 11),
        ends_on=datetime.date(2027, 2, 5),
        progress=20,
    )
    call_list = CallList.objects.create(
        name="Reaktivierung C-Kunden Q1", team=owner.team, created_by=owner, campaign=campaign
    )
    call_entry = call_list.entries.create(person=person, company=company, priority=10)
    offer = Offer.objects.create(
        number="AN-2026-00001",
        company=company,
        contact=person,
        subject="Pumpen für Halle 3",
        owner=owner,
        created_by=owner,
        currency="EUR",
        revision=2,
        requested_on=timezone.localdate() - datetime.timedelta(days=10),
        valid_until=timezone.localdate() + datetime.timedelta(days=20),
    )
    offer_line = offer.lines.create(
        position=1, description="Kreiselpumpe KP 40", quantity=4, unit_price=Decimal("1100.00")
    )
    revision = offer.revisions.create(
        number=1,
        sent_on=timezone.localdate() - datetime.timedelta(days=5),
        sent_by=owner,
        document=offer_documents.document_of(
            offer, offer_selectors.priced(offer), timezone.localdate()
        ),
    )
    approval = offer.approvals.create(
        revision=2, discount_percent=Decimal("12"), requested_by=owner, reason="Rahmenvertrag"
    )
    # The product manager in the expert directory, asked by the owner about the offer's line:
    # the offer's page shows the open request; nobody of the matrix answers it.
    expert = Expert.objects.create(
        user=factories.UserFactory(
            username="pm.weber", first_name="Markus", last_name="Weber",
            role=Role.PRODUCT_MANAGEMENT,
        ),
        area="Produktmanagement",
        topics="Pumpen, Dichtungen",
    )  # fmt: skip
    expert_request = ExpertRequest.objects.create(
        offer=offer,
        line=offer_line,
        expert=expert,
        asked_by=owner,
        question="Ist die KP 40 für 80 °C Wassertemperatur geeignet?",
        due_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    # The catalogue, which every user reads: a product with its price in a Swiss franc list
    # (not the euro default a new offer of the company would take).
    product = factories.ProductFactory(sku="VB-200", name="Ventilblock VB 200")
    price_list = PriceList.objects.create(
        name="Standard CHF", currency="CHF", valid_from=datetime.date(2026, 1, 1)
    )
    price_list.items.create(product=product, unit_price=Decimal("240.00"))
    return {
        "company": company,
        "person": person,
        "pair": pair,
        "merge": merge,
        "call": call,
        "task": task,
        "address": address,
        "token": token,
        "import": finished_import,
        "export": written_export,
        "lead": lead,
        "rule": rule,
        "source": source,
        "webhook": webhook,
        "delivery": delivery,
        "call_list": call_list,
        "call_entry": call_entry,
        "campaign": campaign,
        "phase": phase,
        "offer": offer,
        "offer_line": offer_line,
        "revision": revision,
        "approval": approval,
        "expert": expert,
        "expert_request": expert_request,
        "product": product,
        "price_list": price_list,
    }
