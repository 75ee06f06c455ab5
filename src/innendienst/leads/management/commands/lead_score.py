"""``innendienst lead_score train`` learns the lead score from the won and lost leads now, as the
weekly job does, and scores the open leads again if what scores changed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from innendienst.leads import learning


class Command(BaseCommand):
    help = "Learns the lead score from the won and lost leads and scores the open leads again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["train"])

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(learning.summary(learning.train_and_rescore()))
