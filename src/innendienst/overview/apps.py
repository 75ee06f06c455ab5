from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverviewConfig(AppConfig):
    """Pages that bring several apps together: the 360° company page, the person page,
    "My day" and the global search. They are composed from what the apps register
    (``core.registry``); ``overview`` reads every app below it and is read by none."""

    name = "innendienst.overview"
    label = "overview"
    verbose_name = _("Overview")

    def ready(self) -> None:
        from innendienst.core import registry

        registry.register_nav(registry.NavItem(_("My day"), "my_day", "sun", "my_day", order=10))
