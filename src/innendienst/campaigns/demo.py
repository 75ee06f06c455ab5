"""Demo data of the campaigns app: the telephone campaign the demo's call list belongs to,
planned in four phases around the day the demo is loaded."""

from __future__ import annotations

import datetime

from django.utils import timezone

from innendienst.campaigns.models import Campaign, CampaignPhase, CampaignType
from innendienst.demo import data
from innendienst.demo.kit import Chunk, Run, Step

CAMPAIGN_NAME = "Reaktivierung Altkunden Q1"
CAMPAIGN_DESCRIPTION = (
    "Ehemalige Kunden zurückgewinnen: Bedarf für das erste Quartal abfragen, bei Interesse "
    "einen Termin für den Außendienst vereinbaren."
)
# (phase, days from the load's Monday, length in days, progress %): the lists and the guide
# are done, the call weeks under way, the follow-up still to come.
PHASES = (
    ("Listen aufbereiten", -21, 5, 100),
    ("Gesprächsleitfaden schreiben", -14, 5, 100),
    ("Anrufwochen", -7, 19, 40),
    ("Nachfassen und Auswertung", 14, 10, 0),
)


class CampaignStep(Step):
    def __init__(self, run: Run) -> None:
        super().__init__(run)
        users = run.organisation.users
        manager, inside_rep = users[data.SALES_MANAGER], users[data.INSIDE_SALES]
        created = timezone.make_aware(datetime.datetime.combine(run.anchor, datetime.time(7)))
        self.campaign = Campaign(
            pk=run.ids.next(Campaign),
            name=CAMPAIGN_NAME,
            kind=CampaignType.TELEPHONE,
            description=CAMPAIGN_DESCRIPTION,
            team=inside_rep.team,
            owner=manager,
            created_by=manager,
            created_at=created,
            updated_at=created,
        )
        self._inside_rep = inside_rep

    def chunk(self, chunk: Chunk) -> None:
        if chunk.index != 0:
            return
        self.run.write(Campaign, [self.campaign])
        monday = self.run.anchor - datetime.timedelta(days=self.run.anchor.weekday())
        phases: list[CampaignPhase] = []
        for name, offset, days, progress in PHASES:
            starts_on = monday + datetime.timedelta(days=offset)
            phases.append(
                CampaignPhase(
                    pk=self.run.ids.next(CampaignPhase),
                    campaign=self.campaign,
                    name=name,
                    owner=self._inside_rep,
                    starts_on=starts_on,
                    ends_on=starts_on + datetime.timedelta(days=days - 1),
                    depends_on=phases[-1] if phases else None,
                    progress=progress,
                )
            )
        self.run.write(CampaignPhase, phases)
