"""``innendienst duplicates scan --kind people|companies [--full] [--as USERNAME]`` runs the
duplicate scan here with a progress bar; ``innendienst duplicates export --kind … FILE`` writes
the pairs to review as CSV."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innendienst.accounts.selectors import command_user
from innendienst.core.external_keys import keys_text
from innendienst.matching import scans, selectors
from innendienst.matching.models import RecordKind, Scan, ScanStatus, model_of

KINDS = {"companies": RecordKind.COMPANY, "people": RecordKind.PERSON}
STAGES = {
    "keys": gettext_lazy("Reading the records"),
    "pairs": gettext_lazy("Finding the candidate pairs"),
    "scoring": gettext_lazy("Comparing the candidate pairs"),
    "writing": gettext_lazy("Writing the queue"),
}
BAR = 30


class Command(BaseCommand):
    help = "Runs the duplicate scan, or writes its pairs to review as CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["scan", "export"])
        parser.add_argument("file", type=Path, nargs="?", help="export: the CSV file")
        parser.add_argument("--kind", required=True, choices=list(KINDS))
        parser.add_argument("--full", action="store_true", help="scan: the whole database")
        parser.add_argument(
            "--as", dest="username", help="whose view of the data (default: an administrator)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = command_user(options["username"])
        if user is None:
            raise CommandError(_("No such active user."))
        kind = KINDS[options["kind"]]
        if options["action"] == "scan":
            self._scan(user, kind, options["full"])
        else:
            if options["file"] is None:
                raise CommandError(_("Name the CSV file to write."))
            self._export(user, kind, options["file"])

    def _scan(self, user: Any, kind: str, full: bool) -> None:
        try:
            scan = scans.scan_start(actor=user, kind=kind, full=full, queue=False)
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        scan = scans.scan_run(scan.pk, progress=self._progress)
        sys.stderr.write("\n")
        if scan.status != ScanStatus.DONE:
            raise CommandError(scan.failure)
        self.stdout.write(
            _("%(compared)s candidate pairs compared, %(found)s new pairs to review.")
            % {"compared": scan.compared, "found": scan.found}
        )

    def _progress(self, scan: Scan) -> None:
        share = scan.done / scan.total if scan.total else 0
        filled = int(share * BAR)
        stage = str(STAGES.get(scan.stage, scan.stage))
        sys.stderr.write(
            f"\r[{'#' * filled}{'-' * (BAR - filled)}] {share:4.0%} {stage:<20} "
            f"{scan.done:>10,}/{scan.total:,}".replace(",", ".")
        )
        sys.stderr.flush()

    def _export(self, user: Any, kind: str, path: Path) -> None:
        pairs = list(selectors.pairs_for(user, kind).order_by("cluster", "-score", "pk"))
        ids = {pk for pair in pairs for pk in (pair.left_id, pair.right_id)}
        records = (
            model_of(kind)._base_manager.annotate(keys=keys_text(model_of(kind))).in_bulk(list(ids))
        )
        try:
            with path.open("w", newline="", encoding="utf-8-sig") as output:
                writer = csv.writer(output, delimiter=";")
                writer.writerow(
                    [_("Cluster"), _("Score"), _("ID 1"), _("Name 1"), _("External keys 1"),
                     _("ID 2"), _("Name 2"), _("External keys 2"), _("Reasons")]
                )  # fmt: skip
                for pair in pairs:
                    left, right = records.get(pair.left_id), records.get(pair.right_id)
                    if left is None or right is None:
                        continue
                    reasons = ", ".join(reason.text for reason in selectors.reasons_of(pair))
                    writer.writerow(
                        [pair.cluster, f"{pair.score:.2f}".replace(".", ","), left.pk, left,
                         left.keys or "", right.pk, right, right.keys or "", reasons]
                    )  # fmt: skip
        except OSError as exc:
            raise CommandError(
                _("The file cannot be written: %(error)s") % {"error": exc.strerror}
            ) from exc
        self.stdout.write(_("%(count)s pairs written.") % {"count": len(pairs)})
