from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    """One spelling per thing: normalisation of DACH names, addresses and channels, and (to
    come) the duplicate engine that serves entry, import and the whole-database scan."""

    name = "innendienst.matching"
    label = "matching"
    verbose_name = _("Duplicates")
