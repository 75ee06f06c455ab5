"""``innendienst qualification score [--group CODE]`` scores every company (of one customer
group) again, as the nightly job does — after data were loaded past the application, say."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from innendienst.contacts.models import CustomerGroup
from innendienst.qualification import quality


class Command(BaseCommand):
    help = "Scores the completeness of every company again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["score"])
        parser.add_argument("--group", help="the code of one customer group")

    def handle(self, *args: Any, **options: Any) -> None:
        group_id = None
        if options["group"]:
            group = CustomerGroup.objects.filter(code=options["group"]).first()
            if group is None:
                raise CommandError(
                    _("No customer group with the code %(code)s.") % {"code": options["group"]}
                )
            group_id = group.pk
        scored = quality.refresh_all(group_id)
        self.stdout.write(_("%(count)d companies scored.") % {"count": scored})
