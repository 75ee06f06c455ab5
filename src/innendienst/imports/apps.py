from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Files in: reading, mapping to the targets that the apps register, validation."""

    name = "innendienst.imports"
    label = "imports"
    verbose_name = _("Imports")
