"""Shared fixtures: one territory tree, and the three users every view is tested with.

- owner: the inside rep responsible for ``company`` (team "Süd", territory Bayern)
- teammate: another inside rep of the same team; sees the company through the team
- outsider: an inside rep of team "Nord"; must not see the company at all
"""

from __future__ import annotations

import pytest

from innendienst.accounts.models import Role
from tests import factories


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
