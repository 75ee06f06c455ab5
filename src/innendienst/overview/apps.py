from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverviewConfig(AppConfig):
    """Pages that bring several apps together: the 360° company page, the person page and
    the global search. It reads every app below it and is read by none."""

    name = "innendienst.overview"
    label = "overview"
    verbose_name = _("Overview")
