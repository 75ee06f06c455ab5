"""Demo automation: the newsletter tool as an event source and the source texts' rule — a
contact clicks the product video, the field rep gets a follow-up task and the lead points."""

from __future__ import annotations

import base64
import datetime
import random

from django.utils import timezone

from innendienst.automation.models import EventSource, Rule
from innendienst.demo.kit import Run, Step

VIDEO_RULE = {
    "name": "Newsletter: Produktvideo angesehen",
    "trigger": "inbound:newsletter.click",
    "conditions": {"detail_contains": "produktvideo"},
    "actions": [
        {"kind": "task", "assignee": "field_rep", "subject": "Nachfassen: Produktvideo angesehen",
         "due_days": 2},
        {"kind": "score", "points": 8, "label": "Produktvideo im Newsletter angesehen"},
    ],
}  # fmt: skip
WEBINAR_RULE = {
    "name": "Webinar besucht: Lead an Marketing-Qualifizierung",
    "trigger": "inbound:webinar.attended",
    "conditions": {"lead_stage": "ql"},
    "actions": [
        {"kind": "stage", "stage": "mql"},
        {"kind": "score", "points": 10, "label": "Webinar besucht"},
    ],
}


class AutomationStep(Step):
    def __init__(self, run: Run) -> None:
        super().__init__(run)
        manager = run.organisation.users["leitung"]
        admin = run.organisation.users["admin"]
        # The same seed gives the same rows, the secrets included: an administrator issues
        # new ones (Automation → Ereignisquellen) before a real tool is connected.
        rng = random.Random(f"{run.dataset.seed}-automation")
        created = timezone.make_aware(datetime.datetime.combine(run.anchor, datetime.time(8)))
        EventSource.objects.bulk_create(
            EventSource(pk=run.ids.next(EventSource), name=name, key=key, created_by=admin,
                        created_at=created,
                        secret=base64.urlsafe_b64encode(rng.randbytes(32)).decode().rstrip("="))
            for name, key in (("Newsletter (CleverReach)", "newsletter"),
                              ("Webinar-Plattform", "webinar"))
        )  # fmt: skip
        Rule.objects.bulk_create(
            Rule(
                pk=run.ids.next(Rule),
                **values,
                created_by=manager,
                run_as=manager,
                created_at=created,
            )
            for values in (VIDEO_RULE, WEBINAR_RULE)
        )
        run.count(EventSource, 2)
        run.count(Rule, 2)
