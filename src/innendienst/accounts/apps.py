from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "innendienst.accounts"
    label = "accounts"
    verbose_name = _("Sales organisation")

    def ready(self) -> None:
        from innendienst.core import registry

        registry.register_nav(
            registry.NavItem(_("Settings"), "settings", "cog-6-tooth", "settings", order=900)
        )
        registry.register_audit_note("subtree", _("territories below"))
