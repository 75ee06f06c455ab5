"""Activities as an export kind: the timeline's entries with the list's filter."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from innendienst.activities import selectors
from innendienst.activities.models import Activity
from innendienst.core.registry import ExportColumn, ExportKind


def activity_rows(user: Any, params: Any) -> QuerySet[Activity]:
    return (
        selectors.activity_filter(user, params)
        .results_or_raise()
        .select_related("company", "person", "assigned_to")
    )


ACTIVITIES = ExportKind(
    name="activities",
    label=_("Activities"),
    path="activities",
    file_stem=pgettext_lazy("file name", "activities"),
    rows=activity_rows,
    order=30,
    columns=(
        ExportColumn(_("Type"), lambda a: a.get_kind_display()),
        ExportColumn(_("Took place"), lambda a: a.occurred_at),
        ExportColumn(_("Due"), lambda a: a.due_at),
        ExportColumn(_("Subject"), lambda a: a.subject),
        ExportColumn(_("Company"), lambda a: a.company.name),
        ExportColumn(_("Contact"), lambda a: a.person),
        ExportColumn(_("Outcome"), lambda a: a.get_outcome_display()),
        ExportColumn(_("Done"), lambda a: a.done),
        ExportColumn(_("Assigned to"), lambda a: a.assigned_to),
        ExportColumn(_("Notes"), lambda a: a.notes),
    ),
)
