from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "innendienst.accounts"
    label = "accounts"
    verbose_name = _("Sales organisation")

    def ready(self) -> None:
        from django.db.models import signals

        from innendienst.accounts import signals as scope
        from innendienst.accounts.models import Team, Territory, User
        from innendienst.core import registry

        for model in (Territory, Team):
            signals.post_save.connect(scope.scope_changed, sender=model)
            signals.post_delete.connect(scope.scope_changed, sender=model)
        signals.post_save.connect(scope.user_saved, sender=User)
        signals.post_delete.connect(scope.scope_changed, sender=User)
        for assignments in (User.territories.through, Team.territories.through):
            signals.m2m_changed.connect(scope.scope_changed, sender=assignments)

        registry.register_nav(
            registry.NavItem(_("Settings"), "settings", "cog-6-tooth", "settings", order=900)
        )
        registry.register_audit_note("subtree", _("territories below"))
