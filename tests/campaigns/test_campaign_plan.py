"""campaigns: a campaign planned in phases — the checks, the Gantt chart's layout and the
Excel export."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from python_calamine import CalamineWorkbook

from innendienst.accounts.models import Role
from innendienst.campaigns import gantt, selectors, services
from innendienst.campaigns.models import Campaign, CampaignType
from innendienst.campaigns.workbooks import plan_workbook, week_cells
from innendienst.core.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db

JAN_11 = datetime.date(2027, 1, 11)


@pytest.fixture
def campaign(owner):
    return services.campaign_create(
        actor=owner,
        data={
            "name": "Reaktivierung C-Kunden Q1",
            "kind": CampaignType.TELEPHONE,
            "team": owner.team,
            "owner": owner,
        },
    )


def _phase(owner, campaign, name, start, days, **data):
    return services.phase_create(
        actor=owner,
        campaign=campaign,
        data={
            "name": name,
            "starts_on": start,
            "ends_on": start + datetime.timedelta(days=days - 1),
            **data,
        },
    )


@pytest.fixture
def plan(owner, campaign):
    """The four phases of a telephone campaign, each after the one before."""
    lists = _phase(owner, campaign, "Listen aufbereiten", JAN_11, 5, progress=100)
    guide = _phase(
        owner,
        campaign,
        "Leitfaden schreiben",
        JAN_11 + datetime.timedelta(days=7),
        5,
        depends_on=lists,
        progress=50,
    )
    calls = _phase(
        owner, campaign, "Anrufwochen", JAN_11 + datetime.timedelta(days=14), 19, depends_on=guide
    )
    follow_up = _phase(
        owner, campaign, "Nachfassen", JAN_11 + datetime.timedelta(days=35), 10, depends_on=calls
    )
    return [lists, guide, calls, follow_up]


def test_it_creates_a_campaign_audited_and_for_the_team(owner, teammate, outsider, campaign):
    assert AuditEntry.objects.filter(object_id=campaign.pk, action="create").exists()
    assert selectors.campaigns_for(teammate).filter(pk=campaign.pk).exists()
    assert not selectors.campaigns_for(outsider).filter(pk=campaign.pk).exists()


def test_it_lets_marketing_see_every_teams_campaign(campaign, team_north):
    marketing = factories.UserFactory(role=Role.MARKETING, team=team_north)
    assert selectors.campaigns_for(marketing).filter(pk=campaign.pk).exists()


def test_it_refuses_a_planner_another_teams_campaign(owner, team_north):
    with pytest.raises(ValidationError) as error:
        services.campaign_create(actor=owner, data={"name": "Nord", "team": team_north})
    assert "team" in error.value.message_dict


def test_it_refuses_product_management_to_plan(team_south):
    product_manager = factories.UserFactory(role=Role.PRODUCT_MANAGEMENT, team=team_south)
    with pytest.raises(PermissionDenied):
        services.campaign_create(actor=product_manager, data={"name": "Produktneuheit"})
    assert not Campaign.objects.exists()


def test_it_refuses_an_end_before_the_start(owner, campaign):
    with pytest.raises(ValidationError) as error:
        services.phase_create(
            actor=owner,
            campaign=campaign,
            data={
                "name": "Anrufwochen",
                "starts_on": JAN_11,
                "ends_on": JAN_11 - datetime.timedelta(days=1),
            },
        )
    assert error.value.message_dict == {"ends_on": ["Das Ende liegt vor dem Beginn."]}
    assert not campaign.phases.exists()


def test_it_refuses_a_phase_starting_before_the_one_it_waits_for_ends(owner, campaign, plan):
    with pytest.raises(ValidationError) as error:
        _phase(
            owner, campaign, "Zu früh", JAN_11 + datetime.timedelta(days=2), 3, depends_on=plan[0]
        )
    assert error.value.message_dict == {
        "starts_on": ["„Listen aufbereiten“ endet am 15.01.2027; diese Phase beginnt danach."]
    }


def test_it_refuses_phases_waiting_for_each_other(owner, campaign, plan):
    with pytest.raises(ValidationError) as error:
        services.phase_update(actor=owner, phase=plan[0], data={"depends_on": plan[3]})
    assert "depends_on" in error.value.message_dict
    plan[0].refresh_from_db()
    assert plan[0].depends_on is None


def test_it_refuses_a_phase_of_another_campaign_to_wait_for(owner, campaign, plan):
    other = services.campaign_create(actor=owner, data={"name": "Messe-Nachfassen"})
    with pytest.raises(ValidationError) as error:
        _phase(owner, other, "Anrufe", JAN_11 + datetime.timedelta(days=60), 5, depends_on=plan[0])
    assert "depends_on" in error.value.message_dict


def test_it_refuses_a_progress_above_100_percent(owner, campaign, plan):
    with pytest.raises(ValidationError) as error:
        services.phase_update(actor=owner, phase=plan[1], data={"progress": 120})
    assert "progress" in error.value.message_dict


def test_it_lays_the_bars_out_on_the_calendar(plan):
    chart = gantt.chart(plan, today=JAN_11 + datetime.timedelta(days=16))
    assert chart is not None
    bars = {bar.phase.name: bar for bar in chart.bars}
    # Monday 11 January is the chart's first day, 24 February its last: 45 days wide.
    assert bars["Listen aufbereiten"].x == gantt.LABEL_WIDTH
    per_day = gantt.CHART_WIDTH / 45
    assert bars["Anrufwochen"].x == pytest.approx(gantt.LABEL_WIDTH + 14 * per_day, abs=0.1)
    assert bars["Anrufwochen"].width == pytest.approx(19 * per_day, abs=0.1)
    assert bars["Leitfaden schreiben"].done_width == pytest.approx(
        bars["Leitfaden schreiben"].width / 2, abs=0.1
    )
    # One arrow per dependency; the guide is behind (50 % but ended), the call weeks too.
    assert len(chart.arrows) == 3
    assert [bar.late for bar in chart.bars] == [False, True, True, False]
    assert chart.today_x == pytest.approx(gantt.LABEL_WIDTH + 16 * per_day, abs=0.1)
    assert [tick.label for tick in chart.ticks if not tick.month][:3] == ["2", "3", "4"]


def test_it_draws_no_chart_without_phases():
    assert gantt.chart([], today=JAN_11) is None


def test_it_exports_the_plan_with_its_weeks(campaign, plan):
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(plan_workbook(campaign, plan)))
    rows = workbook.get_sheet_by_index(0).to_python()
    assert rows[0][0] == "Reaktivierung C-Kunden Q1"
    assert rows[2][:7] == [
        "Phase",
        "Zuständig",
        "Beginn",
        "Ende",
        "Tage",
        "Nach",
        "Fortschritt",
    ]
    assert rows[2][7] == "KW 2"
    calls = rows[5]
    assert calls[0] == "Anrufwochen"
    assert calls[2] == datetime.date(2027, 1, 25)
    assert calls[4] == 19
    assert calls[5] == "Leitfaden schreiben"
    assert calls[6] == 0


def test_it_removes_a_phase_and_the_next_one_waits_for_nothing(owner, plan):
    removed = plan[1].pk
    services.phase_delete(actor=owner, phase=plan[1])
    plan[2].refresh_from_db()
    assert plan[2].depends_on is None
    assert AuditEntry.objects.filter(object_id=removed, action="delete").exists()
    assert AuditEntry.objects.filter(object_id=plan[2].pk, field="depends_on").exists()


def test_it_refuses_to_move_a_phase_past_the_start_of_one_waiting_for_it(owner, plan):
    with pytest.raises(ValidationError) as error:
        services.phase_update(
            actor=owner, phase=plan[1], data={"ends_on": JAN_11 + datetime.timedelta(days=20)}
        )
    assert error.value.message_dict == {
        "ends_on": ["„Anrufwochen“ wartet auf diese Phase und beginnt am 25.01.2027."]
    }


def test_it_fills_the_weeks_of_a_phase_as_far_as_it_is_done(owner, campaign):
    wednesday = JAN_11 + datetime.timedelta(days=2)
    phase = _phase(owner, campaign, "Nachfassen", wednesday, 10)  # to Friday of the next week
    weeks = [JAN_11, JAN_11 + datetime.timedelta(weeks=1), JAN_11 + datetime.timedelta(weeks=2)]
    assert week_cells(phase, weeks) == [(0, False), (1, False)]
    phase.progress = 50  # five days: Wednesday to Sunday
    assert week_cells(phase, weeks) == [(0, True), (1, False)]
    phase.progress = 100
    assert week_cells(phase, weeks) == [(0, True), (1, True)]


def test_it_expects_nothing_of_a_phase_on_its_first_day(owner, campaign):
    phase = _phase(owner, campaign, "Anrufwochen", JAN_11, 10)
    assert gantt.expected_progress(phase, JAN_11) == 0
    assert gantt.expected_progress(phase, JAN_11 + datetime.timedelta(days=5)) == 50
    assert gantt.expected_progress(phase, JAN_11 + datetime.timedelta(days=10)) == 100
