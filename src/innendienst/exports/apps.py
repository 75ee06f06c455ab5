from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    """Files out: every list an app declares as an export kind, as CSV for a German Excel and
    as a workbook — in the browser, through the API and from the command line."""

    name = "innendienst.exports"
    label = "exports"
    verbose_name = _("Exports")
