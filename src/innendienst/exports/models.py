from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ExportStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("export status", "queued")
    RUNNING = "running", pgettext_lazy("export status", "being written")
    DONE = "done", pgettext_lazy("export status", "ready")
    FAILED = "failed", pgettext_lazy("export status", "failed")


class Export(models.Model):
    """A list too long to be written while the user waits: written by the worker into a file
    that its user downloads from the export's page."""

    kind = models.CharField(_("list"), max_length=50)
    format = models.CharField(_("format"), max_length=10)
    # The list's query string, as the page had it.
    params = models.TextField(blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("rows in the list"), default=0)
    rows = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    failure = models.TextField(_("why it failed"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name
